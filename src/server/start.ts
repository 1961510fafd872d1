/** Starts the server of an opened project on a host and port, and stops it cleanly. */
import type { FastifyInstance } from 'fastify';
import type { Project } from '../project.js';
import { buildServer, type BuildServerOptions } from './app.js';

export interface StartServerOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 5000 (MLflow's); 0 picks a free port. */
  port?: number;
  logger?: BuildServerOptions['logger'];
  actor?: string;
}

export interface RunningServer {
  /** http://host:port, for MLFLOW_TRACKING_URI. */
  url: string;
  app: FastifyInstance;
  /** Stops taking connections, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

export async function startServer(project: Pick<Project, 'store' | 'artifacts' | 'config'>, options: StartServerOptions = {}): Promise<RunningServer> {
  const app = await buildServer({ store: project.store, artifacts: project.artifacts, project: project.config.project, logger: options.logger, actor: options.actor });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 5000 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return { url: `http://${shown}:${port}`, app, close: () => app.close() };
}
