/**
 * Monitoring: monitor runs (one window of traffic compared with a reference), their metrics as a
 * time series, the cached prepared reference per dataset version and model, and the state and
 * event log of every alert rule.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { idColumn } from './_id-column.js';

export function monitoring(dialect: StoreDialect): Migration {
  const withId = idColumn(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      const s = db.schema;
      await withId(s.createTable('monitor_runs'))
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('monitor', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('window_end', 'bigint', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('labeled_rows', 'integer', (c) => c.notNull())
        .addColumn('reference_dataset', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('drift_share', 'double precision')
        .addColumn('accuracy', 'double precision')
        .addColumn('report_digest', 'text')
        .addColumn('html_digest', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('monitor_runs_monitor').on('monitor_runs').columns(['project', 'monitor', 'window_end']).execute();

      await withId(s.createTable('monitor_metrics'))
        .addColumn('run_id', 'bigint', (c) => c.notNull())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('monitor', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('column_name', 'text')
        .addColumn('value', 'double precision')
        .addColumn('threshold', 'double precision')
        .addColumn('verdict', 'text')
        .addColumn('detail', 'text')
        .execute();
      await s.createIndex('monitor_metrics_run').on('monitor_metrics').columns(['run_id']).execute();
      await s.createIndex('monitor_metrics_series').on('monitor_metrics').columns(['project', 'monitor', 'metric', 'at']).execute();

      await s.createTable('monitor_references')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('model_source', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('monitor_references_pk', ['dataset_id', 'model_source'])
        .execute();

      await s.createTable('alert_states')
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addColumn('value', 'double precision')
        .addColumn('subject', 'text')
        .addColumn('evaluated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_states_pk', ['project', 'rule'])
        .execute();

      await withId(s.createTable('alert_events'))
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text', (c) => c.notNull())
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('value', 'double precision')
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('actions', 'text', (c) => c.notNull())
        .addColumn('notifications', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('alert_events_rule').on('alert_events').columns(['project', 'rule', 'at']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const t of ['alert_events', 'alert_states', 'monitor_references', 'monitor_metrics', 'monitor_runs']) await db.schema.dropTable(t).execute();
    },
  };
}
