import type { Command } from 'commander';
import { SluiceError } from '../../errors.js';
import { startServer } from '../../server/index.js';
import { untilSignal, withProject } from '../context.js';
import { printJson } from '../output.js';
import { createScheduler, schedulerClock } from './trigger-scheduler.js';

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description("serve the project's API, the MLflow tracking and registry API, /openapi.json and /docs")
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--port <port>', 'port to listen on', (v) => Number(v), 5000)
    .option('--log-level <level>', 'pino log level: fatal, error, warn, info, debug, trace, silent', 'info')
    .option('--json', 'print the address as JSON')
    .option('--no-scheduler', 'do not run the scheduler (cron schedules, source watches, monitors, alert retrains; docs/triggers.md)')
    .option('--clock-speed <n>', 'run the scheduler\'s clock n times faster than real time (demos, tests)', (v) => Number(v))
    .option('--clock-start <time>', 'start the scheduler\'s clock at this ISO time instead of now (with --clock-speed)')
    .action(async (opts: { host: string; port: number; logLevel: string; json?: boolean; scheduler: boolean; clockSpeed?: number; clockStart?: string }, cmd: Command) => {
      if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
        throw new SluiceError('USAGE', `Invalid port '${opts.port}'`, { hint: 'Give a port from 0 to 65535 (0 picks a free one).' });
      }
      const clock = schedulerClock(opts.clockSpeed, opts.clockStart);
      await withProject(cmd, async (project) => {
        const scheduler = opts.scheduler ? await createScheduler(project, clock) : undefined;
        const server = await startServer(project, { host: opts.host, port: opts.port, logger: { level: opts.logLevel }, scheduler });
        if (opts.json) printJson({ url: server.url, mlflow_tracking_uri: server.url, docs: `${server.url}/docs` });
        else process.stderr.write(`Sluice server at ${server.url}  (MLFLOW_TRACKING_URI=${server.url}, reference at ${server.url}/docs)\n`);
        // Until SIGINT or SIGTERM; then requests in flight finish and the store closes.
        await untilSignal();
        await server.close();
      });
    });
}
