import type { Command } from 'commander';
import { openProject } from '../../project.js';
import { projectDir, untilSignal, withProject } from '../context.js';
import { formatTime, printJson, table } from '../output.js';

/** `sluice env serve` (an environment's router), `sluice env up --ephemeral` and `sluice env history`. */
export function registerEnvCommands(program: Command): void {
  const env = program.command('env').description('environments: their routers, ephemeral servers and deployment history');
  env
    .command('serve')
    .description("run an environment's router on its port: it serves what is deployed and takes `sluice deploy` and `sluice rollback`")
    .requiredOption('--env <name>', 'environment from sluice.yaml')
    .option('--port <port>', "override the environment's port (0 picks a free one)", Number)
    .option('--json', 'print one JSON line with the URL once the router is ready')
    .action(async (opts: { env: string; port?: number; json?: boolean }, cmd: Command) => {
      const { startEnvironment } = await import('../../deploy/index.js');
      const project = await openProject(projectDir(cmd));
      let environment;
      try {
        environment = await startEnvironment(project, opts.env, { port: opts.port });
      } catch (e) {
        await project.close();
        throw e;
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ url: environment.url, environment: opts.env, pid: process.pid, ...environment.state() })}\n`);
      else process.stderr.write(`Environment ${opts.env} at ${environment.url} (Ctrl-C stops)\n`);
      await untilSignal();
      await whileAlive(async () => {
        await environment.close();
        await project.close();
      });
    });
  env
    .command('up')
    .description('start a throwaway model server on a free port, print its URL, stop on exit or signal')
    .requiredOption('--ephemeral <model>', 'model version to serve, e.g. income@3')
    .option('--json', 'print one JSON line with the URL once ready')
    .action(async (opts: { ephemeral: string; json?: boolean }, cmd: Command) => {
      const { startModelServer } = await import('../../serving/index.js');
      const server = await startModelServer({ model: opts.ephemeral, project: projectDir(cmd), port: 0, route: 'ephemeral' });
      const { name, version } = server.model;
      if (opts.json) process.stdout.write(`${JSON.stringify({ url: server.url, model: name, version, pid: process.pid })}\n`);
      else process.stdout.write(`${server.url}\n`);
      await untilSignal();
      await whileAlive(() => server.close());
    });
  env
    .command('status')
    .description("what an environment's running router serves now: the split, the version kept for rollback, the shadow's report")
    .requiredOption('--env <name>', 'environment from sluice.yaml')
    .option('--json', 'print as JSON')
    .action(async (opts: { env: string; json?: boolean }, cmd: Command) => {
      const { deployClient, unknownEnvironment } = await import('../../deploy/index.js');
      const config = await withProject(cmd, async (project) => project.config.environments[opts.env] ?? Promise.reject(unknownEnvironment(project, opts.env)));
      const state = await deployClient(opts.env, config).state();
      if (opts.json) return printJson(state);
      console.log(JSON.stringify(state, null, 2));
    });
  env
    .command('history')
    .description("an environment's deployment revisions, newest first: who, when, why, what, and how it ended")
    .requiredOption('--env <name>', 'environment from sluice.yaml')
    .option('--json', 'print as JSON')
    .action(async (opts: { env: string; json?: boolean }, cmd: Command) => {
      const { listRevisions, unknownEnvironment } = await import('../../deploy/index.js');
      await withProject(cmd, async (project) => {
        if (!project.config.environments[opts.env]) throw unknownEnvironment(project, opts.env);
        const revisions = await listRevisions(project.store.db, opts.env);
        if (opts.json) return printJson(revisions);
        if (!revisions.length) return console.log(`Nothing deployed to ${opts.env} yet.`);
        console.log(table([['REV', 'WHEN', 'MODEL', 'STRATEGY', 'STATUS', 'WHO', 'WHY'], ...revisions.map((r) => [String(r.id), formatTime(r.createdAt), `${r.model}@${r.version}`, r.strategy, r.status, r.actor, r.reason ?? String(r.detail.error ?? '')])]));
      });
    });
}



/** Keeps the process alive until `fn` settles: a close that waits on unreferenced handles still finishes. */
async function whileAlive(fn: () => Promise<void>): Promise<void> {
  const timer = setInterval(() => {}, 1000);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
}
