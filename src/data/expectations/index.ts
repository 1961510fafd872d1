/**
 * Data expectations (issue 3): declared rules on a dataset, run as DuckDB SQL with Great
 * Expectations' semantics, inferred from data as a starter file, reported as a table or HTML.
 */
export {
  expectationSchema,
  expectationsFileSchema,
  DECLARED_TYPES,
  DISTRIBUTION_TESTS,
} from './schema.js';
export type { Expectation, ExpectationInput, ExpectationKind, Severity, DistributionTest } from './schema.js';
export { runExpectations } from './run.js';
export type { ExpectationsReport, ExpectationResult, ExpectationResultFields, ExampleValue, RunOptions } from './run.js';
export { inferExpectations, toYaml, MAX_DOMAIN } from './infer.js';
export type { ToYamlOptions } from './infer.js';
export { formatReportTable, reportHtml, describeExpectation } from './report.js';
