/** Reliability diagram as SVG. */
import { PALETTE, _document, _legend, _num, _polyline, _unitAxes, type LegendItem } from './_svg.js';
import type { PlotOptions } from './curves.js';

export interface CalibrationSeries {
  label: string;
  /** Mean predicted probability per bin (x). */
  probPred: ArrayLike<number>;
  /** Fraction of positives per bin (y). */
  probTrue: ArrayLike<number>;
}

/** One line with a marker per bin for each series, and the perfectly calibrated diagonal. */
export function calibrationSvg(series: CalibrationSeries[], options: PlotOptions = {}): string {
  const title = options.title ?? 'Calibration (reliability diagram)';
  const frame = _unitAxes('Mean predicted probability', 'Fraction of positives');
  const legend: LegendItem[] = [];
  const body = [...frame.parts, _polyline(frame, [0, 1], [0, 1], '#888888', true)];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    body.push(_polyline(frame, s.probPred, s.probTrue, color));
    for (let k = 0; k < s.probPred.length; k++) {
      body.push(`<circle cx="${_num(frame.x(s.probPred[k]))}" cy="${_num(frame.y(s.probTrue[k]))}" r="3.5" fill="${color}"/>`);
    }
    legend.push({ label: s.label, color });
  });
  legend.push({ label: 'perfectly calibrated', color: '#888888', dashed: true });
  const names = series.map((s) => s.label).join(', ');
  return _document(title, `Fraction of positives against mean predicted probability per bin for ${names || 'no model'}.`, [
    ...body,
    ..._legend(legend, 'bottom-right'),
  ]);
}
