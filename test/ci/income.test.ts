/**
 * `sluice ci` on copies of the income example (the repo's own CI runs these through `npm test`):
 * a sampled report; a main-branch run that becomes the champion, then a pull request compared
 * with it and with main, commented on a GitHub stand-in and updated on the next run; a failing
 * gate; a champion whose package no longer loads.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiReport } from '../../src/ci/index.js';
import { openProject } from '../../src/project.js';
import { getModelVersion } from '../../src/registry/index.js';
import { incomeProject, sluice, sluiceAsync } from '../helpers/cli.js';
import { GITHUB_TOKEN, startFakePlatform, type FakePlatform } from './_platform.js';
import { git } from './_tiny.js';
import { REPORT_MARKER } from '../../src/ci/report.js';

/** The income example cut to 12,000 training and 11,000 test rows (its expectations ask for 10,000+), in a git repository on main. */
function incomeRepo(edit: (yaml: string) => string = (y) => y): string {
  const dir = incomeProject();
  for (const [file, rows] of [['adult.data', 12_000], ['adult.test', 11_000]] as const) {
    const path = join(dir, 'data', file);
    writeFileSync(path, `${readFileSync(path, 'utf8').split('\n').slice(0, rows + 1).join('\n')}\n`);
  }
  const yaml = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
  writeFileSync(join(dir, 'sluice.yaml'), `${edit(yaml)}\nci:\n  sample: { rows: 10000 }\n`);
  writeFileSync(join(dir, '.gitignore'), '.sluice/\nsluice-ci/\n');
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'income']);
  return dir;
}

function report(dir: string): CiReport {
  return JSON.parse(readFileSync(join(dir, 'sluice-ci', 'report.json'), 'utf8')) as CiReport;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let platform: FakePlatform;
beforeAll(async () => {
  platform = await startFakePlatform();
});
afterAll(async () => {
  await platform.close();
});

describe('sluice ci on the income example', () => {
  it('--sample: a report with gates, metric directions, data checks and PNG plots; no main run yet', () => {
    const dir = incomeRepo();
    const r = sluice(dir, ['ci', '--sample']);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'sluice-ci', 'report.md'), 'utf8');
    expect(md.startsWith(REPORT_MARKER)).toBe(true);
    expect(md).toContain('passed with warnings');
    expect(md).toContain('**Sampled run** (adult: first 10000 rows, adult_test: first 10000 rows)');
    expect(md).toMatch(/\| \*\*accuracy\*\* ✅ pass \| pass \| accuracy \| 0\.8\d+ \| >= 0\.8500 \|/);
    expect(md).toMatch(/\| accuracy ↑ \| 0\.8\d+ \|/);
    expect(md).toMatch(/\| log_loss ↓ \|/);
    expect(md).toMatch(/\| sex: equalized_odds_difference →0 \| 0\.\d+ \| .* \| fairness: pass \|/);
    expect(md).toContain('| `checked` | 10000 | 12 passed | none found |');
    expect(md).toContain("no earlier `sluice ci` run on `main` is recorded");
    expect(md).toContain('`income@champion` does not exist yet');
    expect(md).toContain('![roc](roc.png) ![pr](pr.png) ![calibration](calibration.png) ![confusion](confusion.png)');
    for (const plot of ['roc', 'pr', 'calibration', 'confusion']) {
      const file = join(dir, 'sluice-ci', `${plot}.png`);
      expect(readFileSync(file).subarray(0, 8).equals(PNG)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
    const json = report(dir);
    expect(json).toMatchObject({ outcome: 'warn', exitCode: 0, model: null, context: { branch: 'main', platform: 'local' } });
    expect(json.context.commit).toBe(git(dir, ['rev-parse', 'HEAD']));
  });

  it('a failing gate exits 6, and the report (and a missing token) say so', () => {
    const dir = incomeRepo((y) => y.replace('{ metric: accuracy, op: ">=", threshold: 0.85 }', '{ metric: accuracy, op: ">=", threshold: 0.99 }'));
    const r = sluice(dir, ['ci', '--sample', '--comment', 'github', '--json'], { GITHUB_ACTIONS: 'true', GITHUB_TOKEN: '', GITHUB_REPOSITORY: 'acme/income', GITHUB_REF: 'refs/pull/3/merge', GITHUB_REF_NAME: '3/merge', GITHUB_HEAD_REF: 'stricter' });
    expect(r.code).toBe(6);
    const out = JSON.parse(r.stdout) as CiReport & { comment: { problem: string } };
    expect(out).toMatchObject({ outcome: 'fail', exitCode: 6, runStatus: 'blocked', context: { platform: 'github', branch: 'stricter', pullRequest: '3' } });
    expect(out.comment.problem).toMatch(/GITHUB_TOKEN is not set/);
    const md = readFileSync(join(dir, 'sluice-ci', 'report.md'), 'utf8');
    expect(md).toContain('— a gate failed');
    expect(md).toMatch(/\| \*\*accuracy\*\* ❌ fail \| fail \| accuracy \| 0\.8\d+ \| >= 0\.9900 \|/);
  });

  describe('main, then a pull request', () => {
    let dir: string;
    const prEnv = () => {
      const event = join(dir, '..', `event-${Date.now()}.json`);
      writeFileSync(event, JSON.stringify({ number: 12, pull_request: { number: 12 } }));
      return {
        GITHUB_ACTIONS: 'true',
        GITHUB_TOKEN,
        GITHUB_API_URL: platform.url,
        GITHUB_REPOSITORY: 'acme/income',
        GITHUB_EVENT_PATH: event,
        GITHUB_REF: 'refs/pull/12/merge',
        GITHUB_REF_NAME: '12/merge',
        GITHUB_HEAD_REF: 'faster-trees',
        GITHUB_SHA: git(dir, ['rev-parse', 'HEAD']),
      };
    };

    it('a run on main registers and promotes the champion', async () => {
      dir = incomeRepo();
      const r = await sluiceAsync(dir, ['ci']);
      expect(r.code, r.stderr).toBe(0);
      expect(report(dir).model).toEqual({ name: 'income', version: 1 });
      const project = await openProject(dir);
      try {
        expect((await getModelVersion(project.store.db, 'income', 'champion')).version).toBe(1);
      } finally {
        await project.close();
      }
    });

    it('a pull request is compared with the champion and main, registered without promotion, and commented once', async () => {
      git(dir, ['checkout', '-q', '-b', 'faster-trees']);
      writeFileSync(join(dir, 'sluice.yaml'), readFileSync(join(dir, 'sluice.yaml'), 'utf8').replace('max_iter: 300, learning_rate: 0.1', 'max_iter: 60, learning_rate: 0.1'));
      git(dir, ['commit', '-q', '-am', 'fewer trees']);
      const mainRun = report(dir).runId;
      const r = await sluiceAsync(dir, ['ci', '--comment', 'github'], prEnv());
      expect(r.code, r.stderr).toBe(0);
      const json = report(dir);
      expect(json.context).toMatchObject({ platform: 'github', branch: 'faster-trees', pullRequest: '12' });
      expect(json.champion).toEqual({ ref: 'income@1', note: null });
      expect(json.mainRun?.runId).toBe(mainRun);
      expect(json.model).toEqual({ name: 'income', version: 2 });
      const auc = json.metrics.find((m) => m.metric === 'roc_auc')!;
      expect(auc.direction).toBe('higher');
      expect(auc.champion.baseline).toBe(auc.main.baseline);
      expect(auc.champion.delta).toBeCloseTo(auc.candidate! - auc.champion.baseline!, 12);
      expect(['better', 'worse', 'same']).toContain(auc.champion.verdict);
      expect(auc.gates).toEqual(expect.arrayContaining(['accuracy: pass']));
      const md = readFileSync(join(dir, 'sluice-ci', 'report.md'), 'utf8');
      expect(md).toMatch(/\| roc_auc ↑ \| 0\.\d{4} \| 0\.\d{4} \| [↑↓] [+−]0\.\d{4} (better|\*\*worse\*\*) \|/);
      expect(md).toContain('Registered without moving `champion`');
      // The card differs where the params and metrics do.
      expect(json.card.diff).toMatch(/^- .*300/m);
      expect(json.card.diff).toMatch(/^\+ .*60/m);
      // One comment on pull request 12, created through the documented endpoints.
      const thread = platform.threads.get('github:acme/income#12')!;
      expect(thread).toHaveLength(1);
      expect(thread[0].body).toContain('Sluice CI: income');
      // A comment cannot show the job's PNG files: it names them instead of embedding them.
      expect(thread[0].body).toContain('`roc.png`, `pr.png`, `calibration.png`, `confusion.png`');
      expect(thread[0].body).not.toContain('![roc]');
      expect(platform.violations).toEqual([]);
      const project = await openProject(dir);
      try {
        expect((await getModelVersion(project.store.db, 'income', 'champion')).version).toBe(1);
      } finally {
        await project.close();
      }
    });

    it('the next run on the pull request updates the same comment', async () => {
      const before = platform.requests.length;
      const r = await sluiceAsync(dir, ['ci', '--comment', 'github'], prEnv());
      expect(r.code, r.stderr).toBe(0);
      const thread = platform.threads.get('github:acme/income#12')!;
      expect(thread).toHaveLength(1);
      expect(thread[0].body).toContain(report(dir).runId);
      expect(platform.requests.slice(before).map((q) => q.method)).toEqual(['GET', 'PATCH']);
    });

    it('a champion whose package no longer loads is reported, and the exit code still follows the gates', async () => {
      const project = await openProject(dir);
      try {
        const champion = await getModelVersion(project.store.db, 'income', 'champion');
        const manifest = await project.artifacts.readManifest(champion.source);
        const onnx = manifest.files.find((f) => f.path === 'model.onnx')!;
        const blob = join(project.workspace, 'artifacts', 'objects', onnx.digest.slice(0, 2), onnx.digest.slice(2));
        chmodSync(blob, 0o644);
        writeFileSync(blob, 'not a model any more');
      } finally {
        await project.close();
      }
      git(dir, ['checkout', '-q', 'main']);
      const r = await sluiceAsync(dir, ['ci', '--sample']);
      expect(r.code, r.stderr).toBe(0);
      const json = report(dir);
      expect(json.champion.ref).toBe('income@1');
      expect(json.champion.note).toMatch(/income@1 \(champion\) does not load: .*(corrupt|hash|does not match)/i);
      expect(json.card.note).toMatch(/champion's card cannot be read/);
      // The gates judged the candidate; the champion's registered metrics still served the relative check.
      expect(json.gates.map((g) => g.gate)).toEqual(['accuracy', 'fairness']);
      expect(json.mainRun).not.toBeNull();
      expect(json.mainNote).toMatch(/not like for like/);
      expect(json.notes.join(' ')).toMatch(/checks relative to it are skipped in a sampled run/);
    });
  });
});
