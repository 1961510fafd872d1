/** The `sluice.yaml` project file: its schema, loading with file:line:col errors, JSON Schema and scaffolding. */
export { loadProject, parseProject, CONFIG_FILES, type LoadedProject, type ConfigIssue } from './load.js';
export { initProject, type InitOptions } from './init.js';
export { projectJsonSchema, writeJsonSchema } from './json-schema.js';
export { parseBytes, parseDuration } from './units.js';
export {
  parseRef,
  stepResources,
  STEP_KINDS,
  COLUMN_TYPES,
  type ProjectConfig,
  type SourceConfig,
  type StepConfig,
  type StepKind,
  type PrepareStep,
  type SplitStep,
  type TrainStep,
  type EvaluateStep,
  type CommandStep,
  type SqlStep,
  type CheckStep,
  type SearchStep,
  type ModuleStep,
  SOURCE_FORMATS,
  formatFromExtension,
  type GateConfig,
  type RegisterConfig,
  type Resources,
  type ColumnType,
} from './schema.js';
export { monitorSchedule, type MonitorConfig, type MonitorWindow, type AlertRuleConfig, type ChannelConfig, type AlertOp, type PipelineCondition } from './monitoring.js';
export { CHECK_STAGES, type CheckConfig, type CiConfig } from './ci.js';
