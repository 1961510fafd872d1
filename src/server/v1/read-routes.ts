/** The read endpoints the web UI's pages need beyond /api/v1's records: overview, DAG and logs, model views, deployments. */
import type { Route } from '../route.js';
import { deploymentRoutes } from './deployment-routes.js';
import { modelViewRoutes } from './model-view-routes.js';
import { overviewRoutes } from './overview-routes.js';
import { pipelineViewRoutes } from './pipeline-view-routes.js';

export const readRoutes: Route[] = [...overviewRoutes, ...pipelineViewRoutes, ...modelViewRoutes, ...deploymentRoutes];
