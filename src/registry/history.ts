/** The registry's append-only history. */
import type { Db } from '../store/index.js';
import { requireModel } from './_model.js';
import type { RegistryAction, RegistryEvent } from './types.js';

/** Every registration, alias move and tag change of a model, oldest first. */
export async function registryHistory(db: Db, name: string): Promise<RegistryEvent[]> {
  await requireModel(db, name);
  const rows = await db.selectFrom('registry_events').selectAll().where('name', '=', name).orderBy('id').execute();
  return rows.map((r) => ({ ...r, action: r.action as RegistryAction, detail: JSON.parse(r.detail) }));
}
