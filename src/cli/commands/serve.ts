import type { Command } from 'commander';
import { parseBytes } from '../../config/index.js';
import { SluiceError } from '../../errors.js';
import { projectDir, untilSignal } from '../context.js';

interface ServeOptions {
  host: string;
  port: number;
  maxBatch: number;
  maxWaitMs: number;
  logSample: number;
  bodyLimit?: string;
  route?: string;
  drainMs: number;
  logLevel: string;
  json?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve <model>')
    .description('serve a registered model version over HTTP: Open Inference Protocol v2, MLflow scoring, /predict, /metrics (e.g. income@champion)')
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', _number, 8080)
    .option('--max-batch <rows>', 'most rows in one model call', _number, 64)
    .option('--max-wait-ms <ms>', 'longest a batch waits for requests still being received', _number, 2)
    .option('--log-sample <share>', 'share of requests written to the prediction log, 0 to 1', _number, 1)
    .option('--body-limit <size>', "largest request body, e.g. '16MiB' (larger ones get 413)")
    .option('--route <name>', 'label on metrics and logged predictions: stable, canary, shadow, ...')
    .option('--drain-ms <ms>', 'on SIGTERM, how long readiness reports 503 while requests are still served, before closing', _number, 0)
    .option('--log-level <level>', 'server log level on stderr: fatal, error, warn, info, debug, silent', 'warn')
    .option('--json', 'print one JSON line with the URL once the server is ready')
    .action(async (ref: string, opts: ServeOptions, cmd: Command) => {
      if (!(opts.drainMs >= 0)) throw new SluiceError('USAGE', `Invalid drain time '${opts.drainMs}'`, { hint: 'Give milliseconds from 0.' });
      // Loaded on demand: fastify, prom-client and onnxruntime are not needed by other commands.
      const { startModelServer } = await import('../../serving/index.js');
      let bodyLimit: number | undefined;
      if (opts.bodyLimit !== undefined) {
        try {
          bodyLimit = parseBytes(opts.bodyLimit);
        } catch (e) {
          throw new SluiceError('USAGE', (e as Error).message, { hint: "Give a size such as '16MiB' or a number of bytes." });
        }
      }
      const server = await startModelServer({
        model: ref,
        project: projectDir(cmd),
        host: opts.host,
        port: opts.port,
        maxBatch: opts.maxBatch,
        maxWaitMs: opts.maxWaitMs,
        logSample: opts.logSample,
        bodyLimit,
        route: opts.route,
        logLevel: opts.logLevel,
      });
      const { name, version } = server.model;
      if (opts.json) process.stdout.write(`${JSON.stringify({ url: server.url, model: name, version, pid: process.pid })}\n`);
      else process.stderr.write(`Serving ${name}@${version} at ${server.url}  (/predict, /invocations, /v2/models/${name}/infer, /metrics; Ctrl-C stops)\n`);
      // Until SIGINT or SIGTERM; then requests in flight finish and the prediction log is written.
      await untilSignal();
      await server.close({ drainMs: opts.drainMs });
    });
}

function _number(v: string): number {
  return v.trim() === '' ? NaN : Number(v);
}
