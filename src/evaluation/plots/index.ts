/** Evaluation plots as SVG strings. */
export { calibrationSvg, type CalibrationSeries } from './calibration.js';
export { binaryConfusionRows, confusionMatrixSvg } from './confusion.js';
export { precisionRecallSvg, rocCurveSvg, type PlotOptions, type PrSeries, type RocSeries } from './curves.js';
