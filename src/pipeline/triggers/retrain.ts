/**
 * The retrain action of an alert rule: rate-limited (at most one retrain per `min_interval` of
 * the scheduler's clock, none while any run is in progress), the pipeline run on the newest
 * data with trigger `alert`, then — when it registered a new model version, which means every
 * gate passed — a deployment to the configured environment by its strategy (canary: the
 * environment's steps and analysis), through the environment's running router. Each link of
 * alert event → pipeline run → model version → deployment revision lands on the trigger event.
 */
import type { RetrainPolicy } from '../../config/triggers.js';
import { deployClient } from '../../deploy/client.js';
import type { Revision } from '../../deploy/revisions.js';
import { errorMessage } from '../../errors.js';
import type { Project } from '../../project.js';
import { recordTriggerEvent, updateTriggerEvent, type TriggerStatus } from './events.js';
import { startTriggeredRun, type RunContext, type RunOutcome } from './start-run.js';
import { compareAndSetState, readState } from './state.js';

/** An alert rule's transition to firing, as the alert evaluation reports it. */
export interface AlertFiring {
  rule: string;
  /** The alert event (state change) id in the store. */
  eventId: string | number;
  monitor?: string;
  /** When it fired (scheduler clock). */
  at?: number;
  message?: string;
}

export interface RetrainResult {
  /** The trigger event recording this retrain (or why it did not happen). */
  eventId: number;
  status: TriggerStatus;
  reason?: string;
  /** While the retrain runs: resolves with the final status once it ended (and deployed). */
  done?: Promise<{ status: TriggerStatus; reason?: string; outcome: RunOutcome }>;
}

const RATE_KEY = 'retrain';

export async function retrainOnAlert(project: Project, firing: AlertFiring, ctx: RunContext & { policy: RetrainPolicy }): Promise<RetrainResult> {
  const db = project.store.db;
  const name = project.config.project;
  const now = ctx.clock.now();
  const cause = { rule: firing.rule, event_id: firing.eventId, ...(firing.monitor ? { monitor: firing.monitor } : {}), ...(firing.message ? { message: firing.message } : {}) };
  const refuse = async (status: TriggerStatus, reason: string): Promise<RetrainResult> => {
    const eventId = await recordTriggerEvent(db, { project: name, kind: 'alert', cause, status, reason, at: now, ended: true });
    ctx.log?.(`alert '${firing.rule}': retrain ${status}: ${reason}`);
    return { eventId, status, reason };
  };

  // The rate limit is claimed by compare-and-set, so two servers seeing one alert start one retrain.
  const last = await readState<{ at: number; alert: string }>(db, name, RATE_KEY);
  if (last && now - last.value.at < ctx.policy.min_interval) {
    const next = new Date(last.value.at + ctx.policy.min_interval).toISOString();
    return refuse('rate-limited', `a retrain started at ${new Date(last.value.at).toISOString()} (alert event ${last.value.alert}); the next may start after ${next} (triggers.retrain.min_interval)`);
  }
  if (!(await compareAndSetState(db, name, RATE_KEY, last?.raw, { at: now, alert: String(firing.eventId) }))) {
    return refuse('rate-limited', 'another server started a retrain for this alert at the same time');
  }

  const policy = ctx.policy;
  let final: { status: TriggerStatus; reason?: string } = { status: 'failed' };
  const after = async (outcome: RunOutcome): Promise<void> => {
    final = { status: outcome.status, reason: outcome.error };
    if (outcome.status !== 'succeeded') {
      final.reason ??= outcome.summary?.status === 'blocked' ? `gate ${outcome.summary.gates.filter((g) => g.status === 'fail').map((g) => `'${g.gate}'`).join(', ')} failed` : outcome.summary?.errors.map((e) => `${e.step}: ${e.message}`).join('; ');
      return;
    }
    const model = outcome.summary?.model;
    if (!project.config.register) return;
    if (!model || model.existing) {
      final = { status: 'no-change', reason: 'the run registered no new model version (its inputs and code are unchanged, so every step was reused)' };
      await updateTriggerEvent(db, outcome.eventId, { status: 'no-change', reason: final.reason, endedAt: ctx.clock.now() });
      return;
    }
    if (!policy.environment) return;
    const env = project.config.environments[policy.environment];
    await updateTriggerEvent(db, outcome.eventId, { status: 'deploying', environment: policy.environment });
    ctx.log?.(`alert '${firing.rule}': deploying ${model.name}@${model.version} to ${policy.environment} (${policy.strategy})`);
    let revision: Revision;
    try {
      revision = (await deployClient(policy.environment, env).deploy({
        model: `${model.name}@${model.version}`,
        strategy: policy.strategy,
        actor: 'sluice-retrain',
        reason: `retrain for alert '${firing.rule}' (alert event ${firing.eventId}, pipeline run ${outcome.runId})`,
      })) as Revision;
    } catch (e) {
      final = { status: 'stopped', reason: `could not deploy to '${policy.environment}': ${errorMessage(e)}` };
      await updateTriggerEvent(db, outcome.eventId, { status: 'stopped', reason: final.reason, endedAt: ctx.clock.now() });
      return;
    }
    const promoted = revision.status === 'applied';
    const error = typeof revision.detail.error === 'string' ? revision.detail.error : `revision ended ${revision.status}`;
    final = promoted ? { status: 'promoted' } : { status: 'stopped', reason: error };
    await updateTriggerEvent(db, outcome.eventId, {
      status: final.status,
      reason: promoted ? null : error,
      revisionId: revision.id,
      detail: { gates: outcome.summary?.gates.map((g) => ({ gate: g.gate, status: g.status })) ?? [], deployment: { strategy: revision.strategy, status: revision.status, analyses: revision.detail.analyses ?? [], checks: revision.detail.checks ?? [] } },
      endedAt: ctx.clock.now(),
    });
    ctx.log?.(`alert '${firing.rule}': ${model.name}@${model.version} ${promoted ? `promoted in ${policy.environment} (revision ${revision.id})` : `stopped: ${error}`}`);
  };

  const started = await startTriggeredRun(project, { kind: 'alert', cause, force: policy.force }, ctx, after);
  if ('skipped' in started) {
    // Give the slot back: nothing was retrained.
    await compareAndSetState(db, name, RATE_KEY, JSON.stringify({ at: now, alert: String(firing.eventId) }), last?.value ?? { at: 0, alert: '' });
    return refuse('skipped', started.skipped);
  }
  return {
    eventId: started.eventId,
    status: 'started',
    done: started.done.then((outcome) => ({ ...final, outcome })),
  };
}
