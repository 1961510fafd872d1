/**
 * The model package a registered version points at: the package the training step wrote, with
 * what is only known after evaluation and the gates — test metrics, fairness, gate results,
 * dataset versions, the run — in its metadata and model card. A new content-addressed package;
 * the model file itself is the same blob.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '../artifacts/index.js';
import type { FairnessReport, GateResult } from '../evaluation/index.js';
import { CARD_FILE, METADATA_FILE, modelCard, SIGNATURE_FILE, type FairnessRow, type ModelSignature } from '../training/package/index.js';

export interface PackageFacts {
  name: string;
  runId: string;
  pipelineRunId: string;
  trainer: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
  fairness: FairnessReport | null;
  gates: GateResult[];
  datasets: Record<string, string>;
  datasetRows: Record<string, number>;
  target: string;
  positive: string;
}

export async function finalizePackage(artifacts: ArtifactStore, modelDigest: string, facts: PackageFacts): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-package-'));
  try {
    const pkg = join(dir, 'model');
    await artifacts.materializeDirectory(modelDigest, pkg);
    const metadata = JSON.parse(await readFile(join(pkg, METADATA_FILE), 'utf8')) as Record<string, unknown>;
    const signature = JSON.parse(await readFile(join(pkg, SIGNATURE_FILE), 'utf8')) as ModelSignature;
    const shown = Object.fromEntries(Object.entries(facts.metrics).filter(([k]) => !['tp', 'fp', 'tn', 'fn', 'rows'].includes(k) && !k.includes('.')));
    Object.assign(metadata, {
      name: facts.name,
      runId: facts.runId,
      pipelineRunId: facts.pipelineRunId,
      metrics: { ...(metadata.metrics as object), ...shown },
      datasetVersions: facts.datasets,
      gates: facts.gates.map((g) => ({ gate: g.gate, status: g.status })),
    });
    const fairnessRows: FairnessRow[] = [];
    for (const a of facts.fairness?.attributes ?? []) {
      for (const metric of ['demographic_parity_ratio', 'equalized_odds_difference', 'equal_opportunity_difference', 'disparate_impact'] as const) {
        const check = facts.gates.flatMap((g) => g.checks).find((c) => c.attribute === a.attribute && c.metric === metric);
        fairnessRows.push({
          attribute: a.attribute,
          metric,
          value: a.metrics[metric],
          ...(check ? { threshold: `${check.op ?? ''} ${check.threshold}`.trim(), result: check.passed ? 'pass' : check.severity === 'warn' ? 'warn' : 'fail' } : {}),
        });
      }
    }
    const card = modelCard({
      name: facts.name,
      intendedUse: `Predicts whether '${facts.target}' is '${facts.positive}' (binary classification). Use the probability with a threshold chosen for the decision at hand; the default is 0.5.`,
      data: {
        training: { description: 'The training split of the pipeline run named below.', versionId: facts.datasets.train, rows: facts.datasetRows.train },
        evaluation: { description: 'Held-out test data, prepared the same way as the training data.', versionId: facts.datasets.test, rows: facts.datasetRows.test },
      },
      metrics: shown,
      fairness: fairnessRows.length > 0 ? fairnessRows : undefined,
      limitations: [
        'The model reflects the population and period of its training data; monitor drift before trusting it elsewhere or later.',
        ...(facts.fairness ? ['Fairness figures above are for the test data; groups with few rows have wide confidence intervals.'] : []),
        `Gates passed at registration: ${facts.gates.map((g) => `${g.gate} (${g.status})`).join(', ') || 'none declared'}.`,
      ],
      trainer: facts.trainer,
      params: facts.params,
      signature,
    });
    await writeFile(join(pkg, METADATA_FILE), JSON.stringify(metadata, null, 2));
    await writeFile(join(pkg, CARD_FILE), card);
    return (await artifacts.putDirectory(pkg)).digest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
