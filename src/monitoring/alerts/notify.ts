/**
 * Notifications of alert changes through the project's channels: a JSON POST (webhook), a
 * Slack-compatible incoming-webhook payload (slack), or a JSON line in a file and on standard
 * error (log). Every send has a time limit; a failing channel is recorded, never thrown.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ChannelConfig } from '../../config/index.js';
import { errorMessage } from '../../errors.js';

/** The JSON body of a webhook notification (docs/monitoring.md documents it). */
export interface AlertPayload {
  version: 1;
  project: string;
  rule: string;
  /** The new state and the one before: inactive | pending | firing | resolved. */
  state: string;
  previous: string;
  severity: string;
  /** ISO 8601. */
  at: string;
  condition: string;
  value: number | null;
  monitor: string | null;
  metric: string | null;
  pipeline: string | null;
  /** What was judged: `monitor-run:<id>` or `pipeline-run:<id>`. */
  subject: string | null;
  message: string;
  actions: string[];
  description: string | null;
}

export interface NotificationResult {
  channel: string;
  kind: ChannelConfig['kind'];
  ok: boolean;
  /** HTTP status of webhook and slack channels. */
  status?: number;
  error?: string;
  ms: number;
}

export interface NotifyContext {
  /** Where a log channel's relative path, and its default file, live. */
  dir?: string;
  workspace?: string;
}

export function slackPayload(p: AlertPayload): { text: string; blocks: unknown[] } {
  const icon = p.state === 'firing' ? ':rotating_light:' : p.state === 'resolved' ? ':white_check_mark:' : ':hourglass:';
  const text = `${icon} [${p.state.toUpperCase()}] ${p.rule} (${p.severity}) — ${p.message}`;
  const fields = [
    `*Condition*\n${p.condition}`,
    `*Value*\n${p.value ?? 'n/a'}`,
    ...(p.monitor ? [`*Monitor*\n${p.monitor}`] : []),
    ...(p.actions.length ? [`*Actions*\n${p.actions.join(', ')}`] : []),
  ];
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `[${p.state.toUpperCase()}] ${p.rule}`.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: p.message.slice(0, 3000) } },
      { type: 'section', fields: fields.map((t) => ({ type: 'mrkdwn', text: t })) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${p.project} · ${p.severity} · ${p.at}${p.subject ? ` · ${p.subject}` : ''}` }] },
    ],
  };
}

export async function notify(channels: Record<string, ChannelConfig>, names: readonly string[], payload: AlertPayload, ctx: NotifyContext = {}): Promise<NotificationResult[]> {
  return Promise.all(names.map((name) => send(name, channels[name], payload, ctx)));
}

async function send(name: string, channel: ChannelConfig | undefined, payload: AlertPayload, ctx: NotifyContext): Promise<NotificationResult> {
  const started = performance.now();
  const done = (r: Omit<NotificationResult, 'channel' | 'ms' | 'kind'>): NotificationResult => ({ channel: name, kind: channel?.kind ?? 'log', ...r, ms: Math.round(performance.now() - started) });
  if (!channel) return done({ ok: false, error: `no channel '${name}' in sluice.yaml` });
  try {
    if (channel.kind === 'log') {
      const file = channel.path ? resolve(ctx.dir ?? '.', channel.path) : ctx.workspace ? resolve(ctx.workspace, 'alerts.log') : undefined;
      const line = JSON.stringify(payload);
      if (file) {
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, `${line}\n`);
      }
      process.stderr.write(`alert ${payload.state}: ${payload.rule} (${payload.severity}): ${payload.message}\n`);
      return done({ ok: true });
    }
    const body = channel.kind === 'slack' ? slackPayload(payload) : payload;
    const headers = { 'content-type': 'application/json', 'user-agent': 'sluice-alerts/1', ...(channel.kind === 'webhook' ? channel.headers : {}) };
    const response = await fetch(channel.url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(channel.timeout), redirect: 'manual' });
    await response.arrayBuffer().catch(() => undefined);
    return done(response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status, error: `HTTP ${response.status}` });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return done({ ok: false, error: timedOut ? `no answer within ${channel.kind === 'log' ? 0 : channel.timeout} ms` : errorMessage((e as { cause?: unknown }).cause ?? e) });
  }
}
