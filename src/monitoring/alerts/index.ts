/**
 * Alerts (issue 7): rules over monitor results and over the pipeline, with a for-duration and
 * resolution; state changes recorded and notified (webhook, Slack-compatible, log).
 */
export { evaluateAlerts, type AlertState, type AlertTransition, type AlertsProject, type EvaluateAlertsOptions } from './evaluate.js';
export { listAlertStates, listAlertEvents, type AlertStateRecord, type AlertEvent } from './records.js';
export { notify, slackPayload, type AlertPayload, type NotificationResult, type NotifyContext } from './notify.js';
export { observe, parseMetric, conditionText, compare, type Observation } from './conditions.js';
