/** Triggers: what starts pipeline runs without a person, and the retrain action of alerts. */
export { Scheduler, type SchedulerOptions, type TickReport, type ScheduleStatus } from './scheduler.js';
export { systemClock, manualClock, acceleratedClock, type Clock } from './clock.js';
export { startTriggeredRun, withRunLease, busyReason, runLeaseName, type RunLeaseOptions, type TriggerRequest, type RunOutcome, type StartedRun } from './start-run.js';
export { retrainOnAlert, type AlertFiring, type RetrainResult } from './retrain.js';
export { listTriggerEvents, triggerEventOfRun, TRIGGER_KINDS, type TriggerEvent, type TriggerKind, type TriggerStatus } from './events.js';
export { acquireLease, releaseLease, renewLease, readLease, newHolder, type LeaseHolder } from './lease.js';
export { sourceFingerprint, watchedSources } from './sources.js';
export type { MonitoringHooks, AlertTransition } from './monitoring.js';
