import { describe, expect, test } from 'vitest';
import { SluiceError } from '../errors.js';
import { monitorSchedule, parseProject, type ConfigIssue } from './index.js';

const BASE = `project: demo
sources:
  raw: { path: raw.csv, columns: { a: integer } }
`;

function problems(text: string): string[] {
  try {
    parseProject(text, 'sluice.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return ((e as SluiceError).details!.issues as ConfigIssue[]).map((i) => `${i.line}:${i.column}  ${i.path ? `${i.path}: ` : ''}${i.message}`);
  }
  throw new Error('expected the project to be rejected');
}

describe('monitors, alerts and channels in sluice.yaml', () => {
  test('reads windows by time and by rows, schedules, tests and rules with their defaults', () => {
    const config = parseProject(`${BASE}
monitors:
  hourly:
    model: income@production
    window: 1h
    drift: { mode: nannyml, tests: { numerical: psi }, thresholds: { psi: 0.2 }, columns: { age: { test: ks, threshold: 0.01 } }, correction: bh }
    performance: { positive: ">50K", sensitive: [sex], privileged: { sex: Male } }
  recent:
    model: income
    window: { rows: 5000 }
    schedule: "*/15 * * * *"
    reference: adult_clean
    quality: false
alerts:
  drift:
    monitor: hourly
    metric: "column:age:drift_score"
    op: "<"
    threshold: 0.01
    for: 30m
    channels: [hook, chat, log]
    actions: [retrain]
  accuracy:
    monitor: recent
    metric: accuracy
    op: "<"
    threshold: 0.8
    for: { evaluations: 3 }
  broken: { pipeline: run_failed, severity: critical }
channels:
  hook: { kind: webhook, url: "https://example.com/hook", headers: { authorization: "Bearer x" } }
  chat: { kind: slack, url: "https://hooks.slack.com/services/T/B/X", timeout: 2 }
  log: { kind: log }
`);
    const hourly = config.monitors.hourly;
    expect(hourly).toMatchObject({ model: 'income@production', window: { kind: 'time', ms: 3_600_000 }, min_rows: 100, prediction_drift: true });
    expect(hourly.drift).toEqual({ mode: 'nannyml', tests: { numerical: 'psi' }, thresholds: { psi: 0.2 }, columns: { age: { test: 'ks', threshold: 0.01 } }, correction: 'bh', share: 0.5, min_rows: 30 });
    expect(hourly.quality).toEqual({ null_share_increase: 0.05, out_of_range_share: 0.01, unseen_share: 0.01, invalid_share: 0 });
    expect(hourly.performance).toEqual({ positive: '>50K', threshold: 0.5, sensitive: ['sex'], privileged: { sex: 'Male' }, min_labels: 30 });
    expect(monitorSchedule(hourly)).toEqual({ every: 3_600_000 });
    expect(config.monitors.recent).toMatchObject({ window: { kind: 'rows', rows: 5000 }, schedule: { cron: '*/15 * * * *' }, reference: 'adult_clean', quality: false });
    expect(monitorSchedule(config.monitors.recent)).toEqual({ cron: '*/15 * * * *' });
    expect(config.alerts.drift).toMatchObject({ for: { ms: 1_800_000 }, severity: 'warning', channels: ['hook', 'chat', 'log'], actions: ['retrain'] });
    expect(config.alerts.accuracy.for).toEqual({ evaluations: 3 });
    expect(config.alerts.broken).toEqual({ pipeline: 'run_failed', severity: 'critical', channels: [], actions: [] });
    expect(config.channels.chat).toEqual({ kind: 'slack', url: 'https://hooks.slack.com/services/T/B/X', timeout: 2000 });
    expect(config.channels.hook).toMatchObject({ timeout: 5000 });
  });

  test('a project without them has none', () => {
    const config = parseProject(BASE);
    expect([config.monitors, config.alerts, config.channels]).toEqual([{}, {}, {}]);
  });

  test('rejects bad monitors with the line, the path and how to fix it', () => {
    const text = `${BASE}
monitors:
  m:
    model: "income@@x"
    window: { rows: 0 }
    schedule: "every tuesday"
    drift: { mode: evidentlyy, tests: { numerical: anova } }
`;
    expect(problems(text)).toEqual([
      "7:12  monitors.m.model: expected a model such as 'income' or 'income@production', got 'income@@x'",
      '8:21  monitors.m.window.rows: expected a number at least 1, got 0',
      expect.stringMatching(/^9:15 {2}monitors\.m\.schedule: expected an interval such as '15m' or a cron expression such as '0 \* \* \* \*', got 'every tuesday' \(/),
      "10:20  monitors.m.drift.mode: expected one of 'evidently', 'tfdv', 'nannyml', got 'evidentlyy' (did you mean 'evidently'?)",
      "10:52  monitors.m.drift.tests.numerical: expected one of 'ks', 'wasserstein', 'psi', 'jensenshannon', 'kl_div', 'chisquare', 'z', 'linf', got 'anova'",
    ]);
  });

  test('rejects alert rules that are neither kind, lack a threshold, or name unknown monitors and channels', () => {
    const text = `${BASE}
monitors:
  m: { model: income }
alerts:
  both: { monitor: m, pipeline: run_failed }
  bare: { monitor: m, metric: drift_share }
  stray: { pipeline: gate_blocked, threshold: 1 }
  lost: { monitor: mm, metric: accuracy, op: "<", threshold: 0.8, channels: [slack] }
  odd: { monitor: m, metric: "drift share", op: "~", threshold: 1, for: 0 }
channels:
  hook: { kind: email, url: "https://example.com" }
`;
    expect(problems(text)).toEqual([
      "8:9  alerts.both: expected one of 'monitor' (a rule over monitor results) or 'pipeline' (run_failed, gate_blocked or step_timeout)",
      "9:9  alerts.bare.op: a monitor rule needs 'op'",
      "9:9  alerts.bare.threshold: a monitor rule needs 'threshold'",
      "10:47  alerts.stray.threshold: 'threshold' only applies to a monitor rule; a pipeline rule holds when its condition is met",
      "12:30  alerts.odd.metric: expected a metric such as 'drift_share', 'accuracy', 'roc_auc', 'null_share', 'column:<name>:drift_score' or 'fairness:<attribute>:<metric>', got 'drift share'",
      "12:49  alerts.odd.op: expected one of '>', '>=', '<', '<=', '==', '!=', got '~' (did you mean '>'?)",
      '12:73  alerts.odd.for: expected a number greater than 0, got 0',
      "14:17  channels.hook.kind: expected one of 'webhook', 'slack', 'log', got 'email'",
    ]);
    const refs = `${BASE}
monitors:
  m: { model: income }
alerts:
  lost: { monitor: mm, metric: accuracy, op: "<", threshold: 0.8, channels: [slak] }
channels:
  slack: { kind: slack, url: "https://example.com" }
`;
    expect(problems(refs)).toEqual([
      "8:20  alerts.lost.monitor: unknown monitor 'mm' (monitors: m)",
      "8:78  alerts.lost.channels[0]: unknown channel 'slak' (channels: slack)",
    ]);
  });
});
