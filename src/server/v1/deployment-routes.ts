/** Deployments for the web UI: environments, their revisions and traffic, canary analyses, and rollback through the router. */
import { z } from 'zod';
import { deployClient, listRevisions } from '../../deploy/index.js';
import { SluiceError } from '../../errors.js';
import { route, type Route } from '../route.js';
import { required, text } from '../mlflow/fields.js';
import { deploymentSummaries, deploymentSummary, DeploymentSummary, environmentNames, Revision } from './deployment-state.js';

const Env = z.object({ environment: required(200) });

export const deploymentRoutes: Route[] = [
  route({
    method: 'GET',
    path: 'deployments',
    tag: 'Deployments',
    summary: 'Every environment known to the project or the store: health, current revision and traffic split.',
    input: z.object({}),
    output: z.object({ deployments: z.array(DeploymentSummary) }),
    handler: async (_i, ctx) => ({ deployments: await deploymentSummaries(ctx) }),
  }),
  route({
    method: 'GET',
    path: 'deployments/:environment',
    tag: 'Deployments',
    summary: "An environment: health, traffic split, its revisions newest first (each with its checks and canary analyses), and how to roll back.",
    input: Env,
    output: DeploymentSummary.extend({
      revisions: z.array(Revision),
      rollback: z.object({ via_api: z.boolean(), command: z.string() }),
    }),
    handler: async (i, ctx) => {
      if (!(await environmentNames(ctx)).includes(i.environment)) {
        throw new SluiceError('NOT_FOUND', `No environment '${i.environment}'`, { hint: 'GET /api/v1/deployments lists the environments.' });
      }
      const revisions = await listRevisions(ctx.store.db, i.environment, 200);
      const summary = await deploymentSummary(ctx, i.environment, revisions);
      return { ...summary, revisions, rollback: { via_api: summary.configured, command: `sluice rollback --env ${i.environment}` } };
    },
  }),
  route({
    method: 'POST',
    path: 'deployments/:environment/rollback',
    tag: 'Deployments',
    summary: "Roll an environment back to its previous revision, through its running router (only for environments in the served project's sluice.yaml).",
    input: Env.extend({ reason: text(1000).optional() }),
    output: Revision,
    handler: async (i, ctx, request) => {
      // A cross-site form can POST text/plain without a preflight; only a same-origin script sends JSON.
      if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new SluiceError('USAGE', 'A rollback must be sent as JSON (content-type: application/json)', { hint: 'POST {"reason": "..."} with that header.' });
      }
      const config = ctx.local?.config.environments[i.environment];
      if (!config) {
        throw new SluiceError('NOT_FOUND', `This server does not know where environment '${i.environment}' runs`, {
          hint: `Run \`sluice rollback --env ${i.environment}\` in the project folder, or start \`sluice server\` there.`,
        });
      }
      return deployClient(i.environment, config).rollback({ actor: 'web-ui', reason: i.reason ?? 'rolled back from the web UI' });
    },
  }),
];
