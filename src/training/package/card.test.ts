import { describe, expect, it } from 'vitest';
import { modelCard, type ModelCardInput } from './card.js';
import type { ModelSignature } from './signature.js';

const base: ModelCardInput = {
  name: 'income',
  intendedUse: 'Research on income prediction from census records. Not for decisions about individuals.',
  data: {
    training: { description: 'UCI Adult, adult.data (Kohavi & Becker), CC BY 4.0.', versionId: 'ds_3f2a', rows: 32561 },
    evaluation: { description: 'UCI Adult, adult.test.', rows: 16281 },
  },
  metrics: { accuracy: 0.8712345, roc_auc: 0.92 },
  limitations: ['Census data from 1994: incomes and occupations have changed since.', 'US residents only.'],
  trainer: 'sluice.gbdt',
  params: { learning_rate: 0.1, max_depth: null },
};

const signature: ModelSignature = {
  format: 'sluice-signature',
  version: 1,
  task: 'binary',
  classes: ['<=50K', '>50K'],
  positiveClass: '>50K',
  inputs: [
    { name: 'age', type: 'float64', shape: [null, 1], nullable: true, missing: 'NaN' },
    { name: 'workclass', type: 'string', shape: [null, 1], nullable: true, missing: '', categories: ['Private', 'State-gov'] },
  ],
  outputs: [
    { name: 'label', type: 'string', shape: [null], role: 'label' },
    { name: 'probabilities', type: 'float32', shape: [null, 2], role: 'probabilities' },
  ],
};

describe('modelCard', () => {
  it('has every section, in order', () => {
    const md = modelCard(base);
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Model card: income',
      '## Intended use',
      '## Training data',
      '## Evaluation data',
      '## Metrics',
      '## Fairness',
      '## Limitations',
      '## Training',
      '## How to use it',
    ]);
    expect(md).toContain('- Dataset version: `ds_3f2a`\n- Rows: 32,561');
    expect(md).toContain('| Metric | Value |\n|---|---|\n| accuracy | 0.8712 |\n| roc_auc | 0.9200 |');
    expect(md).toContain('- US residents only.');
    expect(md).toContain('| max_depth | null |');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('says plainly when fairness was not assessed, and tabulates it when it was', () => {
    expect(modelCard(base)).toContain('Fairness was not assessed for this model.');
    const md = modelCard({
      ...base,
      fairness: [{ attribute: 'sex', metric: 'demographic_parity_ratio', value: 0.31, threshold: '>= 0.8', result: 'fail' }],
    });
    expect(md).toContain('| sex | demographic_parity_ratio | 0.3100 | >= 0.8 | fail |');
  });

  it('shows metrics per dataset and slice when given', () => {
    const md = modelCard({ ...base, metrics: [{ metric: 'accuracy', value: 0.9, slice: 'sex=Female' }, { metric: 'accuracy', value: 0.8 }] });
    expect(md).toContain('| Metric | Value | Data | Slice |');
    expect(md).toContain('| accuracy | 0.9000 | evaluation | sex=Female |');
    expect(md).toContain('| accuracy | 0.8000 | evaluation | all |');
  });

  it('escapes table cells so a value cannot break the table', () => {
    const md = modelCard({ ...base, params: { pattern: 'a|b\nc' } });
    expect(md).toContain('| pattern | "a\\|b\\nc" |');
  });

  it('names the real inputs and outputs in the usage section', () => {
    const md = modelCard({ ...base, signature });
    expect(md).toContain("| workclass | string | [N, 1] | '' (empty string) |");
    expect(md).toContain('| probabilities | float32 | [N, 2] | probability per class: `<=50K`, `>50K` |');
    expect(md).toContain(`  "age": new ort.Tensor('float64', Float64Array.from([0]), [1, 1]),`);
    expect(md).toContain(`    "workclass": np.array([["Private"]], dtype=object),`);
  });
});
