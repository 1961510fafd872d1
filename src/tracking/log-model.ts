/** runs/log-model: MLflow's record of a model logged by a run, kept in a run tag. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { requireActiveRun } from './runs.js';

export const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

/** Appends the MLmodel (as JSON) to the run's mlflow.log-model.history tag, a JSON list. */
export async function recordLoggedModel(db: Db, runId: string, modelJson: string): Promise<void> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    model = undefined;
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw new SluiceError('USAGE', "Invalid value for parameter 'model_json': it must be a JSON object (the MLmodel file as JSON)");
  }
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    const row = await trx.selectFrom('run_tags').select('value').where('run_id', '=', runId).where('key', '=', LOG_MODEL_HISTORY_TAG).executeTakeFirst();
    let history: unknown[] = [];
    try {
      const parsed: unknown = row ? JSON.parse(row.value) : [];
      if (Array.isArray(parsed)) history = parsed;
    } catch {
      // a hand-set tag that is not a list: start the list afresh
    }
    const value = JSON.stringify([...history, model]);
    await trx
      .insertInto('run_tags')
      .values({ run_id: runId, key: LOG_MODEL_HISTORY_TAG, value })
      .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value }))
      .execute();
  });
}
