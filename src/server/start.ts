/** Starts the server of an opened project on a host and port, and stops it cleanly. */
import type { FastifyInstance } from 'fastify';
import type { Project } from '../project.js';
import { buildServer, type BuildServerOptions } from './app.js';
import type { TriggerService } from './context.js';

export interface StartServerOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 5000 (MLflow's); 0 picks a free port. */
  port?: number;
  logger?: BuildServerOptions['logger'];
  actor?: string;
  /** The scheduler (src/pipeline/triggers): started once the port listens, stopped first on close. */
  scheduler?: TriggerService & { start(): Promise<void>; stop(): Promise<void> };
}

export interface RunningServer {
  /** http://host:port, for MLFLOW_TRACKING_URI. */
  url: string;
  app: FastifyInstance;
  /** Stops taking connections, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

export async function startServer(
  project: Pick<Project, 'store' | 'artifacts' | 'config'> & Partial<Pick<Project, 'workspace' | 'dir'>>,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const local = project.workspace && project.dir ? { workspace: project.workspace, dir: project.dir, config: project.config } : undefined;
  const app = await buildServer({ store: project.store, artifacts: project.artifacts, project: project.config.project, logger: options.logger, actor: options.actor, local, triggers: options.scheduler });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 5000 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const scheduler = options.scheduler;
  if (scheduler) await scheduler.start();
  return {
    url: `http://${shown}:${port}`,
    app,
    close: async () => {
      await scheduler?.stop();
      await app.close();
    },
  };
}
