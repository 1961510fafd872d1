/** ROC and precision-recall curves as SVG. */
import { PALETTE, _document, _legend, _polyline, _unitAxes, type LegendItem } from './_svg.js';

export interface RocSeries {
  /** Shown in the legend, e.g. "candidate (AUC 0.912)". */
  label: string;
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
}

export interface PrSeries {
  label: string;
  precision: ArrayLike<number>;
  recall: ArrayLike<number>;
}

export interface PlotOptions {
  title?: string;
}

/** One line per series through its points, and the chance diagonal. */
export function rocCurveSvg(series: RocSeries[], options: PlotOptions = {}): string {
  const title = options.title ?? 'ROC curve';
  const frame = _unitAxes('False positive rate', 'True positive rate');
  const legend: LegendItem[] = [];
  const body = [...frame.parts, _polyline(frame, [0, 1], [0, 1], '#888888', true)];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    body.push(_polyline(frame, s.fpr, s.tpr, color));
    legend.push({ label: s.label, color });
  });
  legend.push({ label: 'chance', color: '#888888', dashed: true });
  const names = series.map((s) => s.label).join(', ');
  return _document(title, `True positive rate against false positive rate for ${names || 'no model'}.`, [...body, ..._legend(legend, 'bottom-right')]);
}

/**
 * Drawn as steps (precision held until recall changes), as scikit-learn's PrecisionRecallDisplay
 * does, since linear interpolation between PR points overstates the area: a curve of m points
 * is a polyline of 2m − 1 vertices. `prevalence` adds the no-skill line.
 */
export function precisionRecallSvg(series: PrSeries[], options: PlotOptions & { prevalence?: number } = {}): string {
  const title = options.title ?? 'Precision-recall curve';
  const frame = _unitAxes('Recall', 'Precision');
  const legend: LegendItem[] = [];
  const body = [...frame.parts];
  if (options.prevalence !== undefined) {
    body.push(_polyline(frame, [0, 1], [options.prevalence, options.prevalence], '#888888', true));
  }
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < s.recall.length; k++) {
      if (k > 0) {
        xs.push(s.recall[k]);
        ys.push(s.precision[k - 1]);
      }
      xs.push(s.recall[k]);
      ys.push(s.precision[k]);
    }
    body.push(_polyline(frame, xs, ys, color));
    legend.push({ label: s.label, color });
  });
  if (options.prevalence !== undefined) legend.push({ label: 'no skill', color: '#888888', dashed: true });
  const names = series.map((s) => s.label).join(', ');
  return _document(title, `Precision against recall for ${names || 'no model'}.`, [...body, ..._legend(legend, 'bottom-left')]);
}
