/** The scheduler `sluice server` runs: its clock from the command line, monitoring when declared, a plain line per action on standard error. */
import { SluiceError } from '../../errors.js';
import { acceleratedClock, Scheduler, systemClock, type Clock } from '../../pipeline/triggers/index.js';
import { monitoringHooks } from '../../pipeline/triggers/monitoring.js';
import type { Project } from '../../project.js';
import { formatDuration } from './trigger.js';

export function schedulerClock(speed?: number, start?: string): Clock {
  if (speed === undefined && start === undefined) return systemClock;
  if (speed !== undefined && (!Number.isFinite(speed) || speed <= 0)) throw new SluiceError('USAGE', `Invalid --clock-speed '${speed}'`, { hint: 'Give a number greater than 0, e.g. 3600 for an hour per second.' });
  const t0 = start === undefined ? Date.now() : Date.parse(start);
  if (Number.isNaN(t0)) throw new SluiceError('USAGE', `Invalid --clock-start '${start}'`, { hint: "Give an ISO time such as '2001-02-01T00:00:00Z'." });
  return acceleratedClock(t0, speed ?? 1);
}

export async function createScheduler(project: Project, clock: Clock): Promise<Scheduler> {
  const log = (line: string) => process.stderr.write(`[scheduler ${new Date(clock.now()).toISOString()}] ${line}\n`);
  const monitoring = await monitoringHooks(project);
  const t = project.config.triggers;
  const what = [
    Object.keys(t.schedules).length ? `${Object.keys(t.schedules).length} schedule(s)` : '',
    t.on_source_change ? `source changes every ${formatDuration(t.on_source_change.poll)}` : '',
    monitoring && t.monitors.enabled && Object.keys(project.config.monitors).length ? `${Object.keys(project.config.monitors).length} monitor(s)` : '',
  ].filter(Boolean);
  log(what.length ? `watching ${what.join(', ')}${t.retrain.environment ? `; a retrain deploys to ${t.retrain.environment} (${t.retrain.strategy})` : ''}` : 'nothing to watch: no schedules, source watch or monitors in sluice.yaml (docs/triggers.md); manual runs only');
  return new Scheduler(project, { clock, log, monitoring });
}
