/** Firing alerts for the overview page: the alert rules (src/monitoring/alerts) whose state is firing now. */
import { z } from 'zod';
import { conditionText, listAlertStates } from '../../monitoring/alerts/index.js';
import type { ServerContext } from '../context.js';

export const FiringAlert = z.object({
  id: z.string().describe('The rule name'),
  rule: z.string(),
  monitor: z.string().nullable().describe('The monitor it watches, or null for a pipeline rule'),
  severity: z.string(),
  message: z.string().describe('The condition that holds, with the value last seen'),
  since: z.number(),
});

export async function firingAlerts(ctx: ServerContext): Promise<z.input<typeof FiringAlert>[]> {
  const states = await listAlertStates(ctx.store.db, ctx.project);
  return states
    .filter((s) => s.state === 'firing')
    .map((s) => {
      const rule = ctx.local?.config.alerts[s.rule];
      const condition = rule ? conditionText(rule) : 'condition not in this sluice.yaml';
      return {
        id: s.rule,
        rule: s.rule,
        monitor: rule?.monitor ?? null,
        severity: rule?.severity ?? 'warning',
        message: s.value === null ? condition : `${condition} (value ${Number(s.value.toPrecision(4))})`,
        since: s.since,
      };
    });
}
