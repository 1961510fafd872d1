import { once } from 'node:events';
import { expect, it } from 'vitest';
import { makeProject, sluice, sluiceJson, sluiceSpawn } from '../helpers/cli.js';

const PROJECT = {
  'sluice.yaml': 'project: cli\nsources:\n  d: { path: d.csv, format: csv, columns: { a: integer } }\nsteps:\n  noop: { kind: command, run: "true" }\n',
  'd.csv': 'a\n1\n',
};

it('`sluice server` serves the MLflow API, and `exp list`, `runs search` and `runs compare` read what it logged', async () => {
  const dir = makeProject(PROJECT);
  const child = sluiceSpawn(dir, ['server', '--port', '0', '--json', '--log-level', 'warn']);
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const url = JSON.parse(line.toString()).url as string;
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${url}/api/2.0/mlflow/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    return r.json();
  };
  const { experiment_id } = await post('experiments/create', { name: 'cli-exp' });
  const ids: string[] = [];
  for (const [name, auc, lr] of [['base', 0.8, '0.1'], ['tuned', 0.9, '0.05']] as const) {
    const { run } = await post('runs/create', { experiment_id, run_name: name });
    await post('runs/log-batch', {
      run_id: run.info.run_id,
      metrics: [...Array.from({ length: 10 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1, step })), { key: 'auc', value: auc, timestamp: 1 }],
      params: [{ key: 'lr', value: lr }],
    });
    ids.push(run.info.run_id);
  }
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);

  const exps = sluiceJson<{ name: string; runs: number }[]>(dir, ['exp', 'list']);
  expect(exps.data).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'cli-exp', runs: 2 })]));
  const found = sluiceJson<{ runs: { info: { runName: string } }[] }>(dir, ['runs', 'search', 'metrics.auc > 0.85', '--order-by', 'metrics.auc DESC']);
  expect(found.data.runs.map((r) => r.info.runName)).toEqual(['tuned']);
  const table = sluice(dir, ['runs', 'search', "params.lr = '0.1' or x"]);
  expect(table.code).toBe(2);
  expect(table.stderr).toContain('Invalid clause');

  const compared = sluice(dir, ['runs', 'compare', ids[0].slice(0, 8), 'tuned']);
  expect(compared.code).toBe(0);
  expect(compared.stdout).toMatch(/lr\s+0\.1\s+0\.05/);
  expect(compared.stdout).toContain('(+0.1000)');
  expect(compared.stdout).toMatch(/loss\s+█[▇▆▅▄▃▂▁ ]+ 10/);
});
