/** Confusion matrix heat map as SVG. */
import { SluiceError } from '../../errors.js';
import type { ConfusionMatrix } from '../metrics.js';
import { PLOT_AREA, _axisLabels, _document, _escape, _num } from './_svg.js';
import type { PlotOptions } from './curves.js';

/** scikit-learn's layout for a binary matrix: rows true 0, 1; columns predicted 0, 1. */
export function binaryConfusionRows(cm: ConfusionMatrix): number[][] {
  return [
    [cm.tn, cm.fp],
    [cm.fn, cm.tp],
  ];
}

/**
 * matrix[true][predicted]. Each cell shows its count and its share of the row (the recall of that
 * class when on the diagonal); the shade is that share, so rare classes stay readable.
 */
export function confusionMatrixSvg(matrix: number[][], options: PlotOptions & { labels?: string[] } = {}): string {
  const k = matrix.length;
  if (k === 0 || matrix.some((row) => row.length !== k)) {
    throw new SluiceError('DATA_INVALID', `A confusion matrix must be square and non-empty, got ${k} rows`);
  }
  const labels = options.labels ?? matrix.map((_, i) => String(i));
  if (labels.length !== k) throw new SluiceError('USAGE', `Confusion matrix has ${k} classes but ${labels.length} labels`);
  const title = options.title ?? 'Confusion matrix';
  const size = Math.min(PLOT_AREA.width, PLOT_AREA.height);
  const cell = size / k;
  const x0 = PLOT_AREA.left + (PLOT_AREA.width - size) / 2;
  const y0 = PLOT_AREA.top;
  const body: string[] = [];
  matrix.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      const share = total === 0 ? 0 : count / total;
      const x = x0 + p * cell;
      const y = y0 + t * cell;
      body.push(
        `<rect x="${_num(x)}" y="${_num(y)}" width="${_num(cell)}" height="${_num(cell)}" fill="${_shade(share)}" stroke="#ffffff"><title>true ${_escape(labels[t])}, predicted ${_escape(labels[p])}: ${count}</title></rect>`,
        `<text x="${_num(x + cell / 2)}" y="${_num(y + cell / 2)}" text-anchor="middle" fill="${share > 0.5 ? '#ffffff' : '#000000'}">${count}<tspan x="${_num(x + cell / 2)}" dy="15" font-size="10">${_num(share * 100)}%</tspan></text>`,
      );
    });
  });
  labels.forEach((label, i) => {
    const c = i * cell + cell / 2;
    body.push(
      `<text x="${_num(x0 + c)}" y="${_num(y0 + size + 16)}" text-anchor="middle">${_escape(label)}</text>`,
      `<text x="${_num(x0 - 6)}" y="${_num(y0 + c + 4)}" text-anchor="end">${_escape(label)}</text>`,
    );
  });
  body.push(..._axisLabels('Predicted label', 'True label'));
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((a, row, i) => a + row[i], 0);
  return _document(title, `Counts of true against predicted labels over ${k} classes: ${correct} of ${total} rows on the diagonal.`, body);
}

/** From #f7fbff (0) to #08306b (1), linearly in RGB. */
function _shade(share: number): string {
  const from = [0xf7, 0xfb, 0xff];
  const to = [0x08, 0x30, 0x6b];
  return `#${from.map((f, i) => Math.round(f + (to[i] - f) * share).toString(16).padStart(2, '0')).join('')}`;
}
