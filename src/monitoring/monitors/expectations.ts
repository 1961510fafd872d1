/**
 * The expectations a reference dataset was checked against: its own validation, or the nearest
 * ancestor's in its lineage (a split of a checked dataset inherits the check's rules). Data
 * quality then judges production values by the declared ranges and sets (`between`, `in_set`)
 * instead of only the reference's observed min/max and categories.
 */
import { expectationSchema, type Expectation } from '../../data/expectations/index.js';
import type { Db } from '../../store/index.js';

const MAX_DEPTH = 6;

type Validation = { expectations?: { results?: { expectation?: unknown }[] } };
type Lineage = { inputs?: ({ dataset?: string | null } | string)[] };

export async function referenceExpectations(db: Db, datasetId: string): Promise<{ expectations: Expectation[]; from: string | null }> {
  let frontier = [datasetId];
  const seen = new Set<string>();
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (seen.has(id)) continue;
      seen.add(id);
      const [version, names] = await Promise.all([
        db.selectFrom('dataset_versions').select(['validation', 'lineage']).where('id', '=', id).executeTakeFirst(),
        db.selectFrom('dataset_names').select(['validation', 'lineage']).where('dataset_id', '=', id).orderBy('created_at', 'desc').execute(),
      ]);
      for (const text of [...names.map((n) => n.validation), version?.validation]) {
        const found = parseExpectations(text ?? null);
        if (found.length) return { expectations: found, from: id };
      }
      for (const text of [...names.map((n) => n.lineage), version?.lineage]) {
        if (!text) continue;
        for (const input of (JSON.parse(text) as Lineage).inputs ?? []) {
          const dataset = typeof input === 'string' ? input : input?.dataset;
          if (dataset) next.push(dataset);
        }
      }
    }
    frontier = next;
  }
  return { expectations: [], from: null };
}

function parseExpectations(text: string | null): Expectation[] {
  if (!text) return [];
  const results = (JSON.parse(text) as Validation).expectations?.results ?? [];
  const out: Expectation[] = [];
  for (const r of results) {
    const parsed = expectationSchema.safeParse(r.expectation);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}
