/**
 * Bias checks on training data (issue 3): group representation and positive label rate per
 * group of each sensitive attribute, with warn/fail thresholds, computed by DuckDB.
 */
export { dataBias, formatBiasReport, biasConfigSchema, MISSING_GROUP } from './bias.js';
export type { BiasConfig, BiasConfigInput, BiasReport, BiasAttribute, BiasGroup, BiasStatus } from './bias.js';
