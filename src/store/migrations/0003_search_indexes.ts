/**
 * runs/search: a metric clause reads (key, is_nan, value) and wants run_id, so an index with
 * is_nan before value answers it from the index alone (0002's index needed the table for is_nan).
 */
import type { Kysely, Migration } from 'kysely';

export const searchIndexes: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('latest_metrics_key_value').execute();
    await db.schema.createIndex('latest_metrics_key_nan_value').on('latest_metrics').columns(['key', 'is_nan', 'value', 'run_id']).execute();
  },
};
