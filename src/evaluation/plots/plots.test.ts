import { describe, expect, it } from 'vitest';
import { loadCases } from '../../../test/reference/evaluation/cases.js';
import { calibrationCurve } from '../calibration.js';
import { precisionRecallCurve, rocCurve } from '../curves.js';
import { binaryClassificationMetrics } from '../metrics.js';
import { binaryConfusionRows, calibrationSvg, confusionMatrixSvg, precisionRecallSvg, rocCurveSvg } from './index.js';

const { binary } = loadCases<{ binary: { name: string; y: number[]; proba: number[] }[] }>('sklearn_cases.json');
const ties = binary.find((c) => c.name === 'ties')!;
const y = Uint8Array.from(ties.y);
const p = Float64Array.from(ties.proba);

/** A small well-formedness check: balanced tags, quoted unique attributes, escaped text. */
function expectWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    expect(text, 'text').not.toMatch(/&(?!(amp|lt|gt|quot|apos);)|>/);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    expect(m, `malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`).not.toBeNull();
    const [whole, close, name, attrs, selfClose] = m!;
    const names = [...attrs.matchAll(/([\w:-]+)=/g)].map((a) => a[1]);
    expect(new Set(names).size, `duplicate attribute in ${whole}`).toBe(names.length);
    if (close) expect(stack.pop(), `closing ${name}`).toBe(name);
    else if (!selfClose) stack.push(name);
    i = lt + whole.length;
  }
  expect(stack).toEqual([]);
  expect(xml.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(xml).toMatch(/^<svg[^>]* role="img"[^>]*>\n<title>[^<]+<\/title>\n<desc>[^<]+<\/desc>/);
}

/** Vertex counts of the polylines with the given stroke colour. */
function polylinePoints(svg: string, color: string): number[] {
  return [...svg.matchAll(new RegExp(`<polyline points="([^"]*)" fill="none" stroke="${color}"`, 'g'))].map((m) =>
    m[1] === '' ? 0 : m[1].split(' ').length,
  );
}

describe('SVG plots', () => {
  it('rocCurveSvg draws one line per series through every curve point, the chance line and a legend', () => {
    const roc = rocCurve(y, p);
    const other = rocCurve(y, Float64Array.from(p, (x) => 1 - x));
    const svg = rocCurveSvg([{ label: 'candidate (AUC 0.81)', ...roc }, { label: 'champion <old> & co', ...other }]);
    expectWellFormedXml(svg);
    expect(polylinePoints(svg, '#0072B2')).toEqual([roc.fpr.length]);
    expect(polylinePoints(svg, '#D55E00')).toEqual([other.fpr.length]);
    expect(polylinePoints(svg, '#888888')).toEqual([2]);
    expect(svg).toContain('<title>ROC curve</title>');
    expect(svg).toContain('champion &lt;old&gt; &amp; co');
    expect(svg).toContain('>False positive rate</text>');
    expect(svg).toContain('>True positive rate</text>');
    expect(svg.match(/<g class="legend">/g)).toHaveLength(1);
    expect(rocCurveSvg([{ label: 'candidate (AUC 0.81)', ...roc }, { label: 'champion <old> & co', ...other }])).toBe(svg);
  });

  it('precisionRecallSvg draws steps (2m − 1 vertices for m points) and the no-skill line', () => {
    const pr = precisionRecallCurve(y, p);
    const svg = precisionRecallSvg([{ label: 'candidate', ...pr }], { prevalence: 0.5, title: 'PR curve' });
    expectWellFormedXml(svg);
    expect(polylinePoints(svg, '#0072B2')).toEqual([2 * pr.recall.length - 1]);
    expect(polylinePoints(svg, '#888888')).toEqual([2]);
    expect(svg).toContain('<title>PR curve</title>');
  });

  it('calibrationSvg draws a marker per bin and the diagonal', () => {
    const curve = calibrationCurve(y, p, { bins: 10 });
    const svg = calibrationSvg([{ label: 'candidate', ...curve }]);
    expectWellFormedXml(svg);
    expect(polylinePoints(svg, '#0072B2')).toEqual([curve.probPred.length]);
    expect(svg.match(/<circle /g)).toHaveLength(curve.probPred.length);
    expect(svg).toContain('>Mean predicted probability</text>');
  });

  it('confusionMatrixSvg shades one cell per pair of classes, with counts and row shares', () => {
    const cm = binaryConfusionRows(binaryClassificationMetrics(y, p).confusion_matrix);
    const svg = confusionMatrixSvg(cm, { labels: ['<=50K', '>50K'] });
    expectWellFormedXml(svg);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(4);
    expect(svg).toContain(`>${cm[1][1]}<tspan`);
    expect(svg).toContain('&lt;=50K');
    expectWellFormedXml(confusionMatrixSvg([[5, 1, 0], [2, 7, 1], [0, 0, 0]]));
    expect(() => confusionMatrixSvg([[1, 2]])).toThrow(/square/);
    expect(() => confusionMatrixSvg([[1]], { labels: ['a', 'b'] })).toThrow(/1 classes but 2 labels/);
  });

  it('leaves out undefined points: the ROC curve of a one-class set', () => {
    const allPositive = binary.find((c) => c.name === 'all positive')!;
    const roc = rocCurve(Uint8Array.from(allPositive.y), Float64Array.from(allPositive.proba));
    const svg = rocCurveSvg([{ label: 'one class', ...roc }]);
    expectWellFormedXml(svg);
    expect(polylinePoints(svg, '#0072B2')).toEqual([0]);
  });
});
