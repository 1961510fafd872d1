/** Registry: registered models, numbered versions, aliases, tags and their history. */
export {
  registerModelVersion,
  getModelVersion,
  listModelVersions,
  findModelVersionByRun,
  listRegisteredModels,
  type RegisterModelVersionInput,
} from './versions.js';
export {
  getRegisteredModel,
  createRegisteredModel,
  updateRegisteredModel,
  renameRegisteredModel,
  deleteRegisteredModel,
  setRegisteredModelTag,
  deleteRegisteredModelTag,
} from './models.js';
export {
  createModelVersion,
  updateModelVersion,
  transitionModelVersionStage,
  deleteModelVersion,
  getLatestVersions,
  STAGES,
  type CreateModelVersionInput,
} from './mlflow-versions.js';
export { searchRegisteredModels, searchModelVersions, type RegistrySearchOptions } from './search.js';
export { setAlias, deleteAlias } from './aliases.js';
export { setModelVersionTag, deleteModelVersionTag, getModelVersionTags } from './tags.js';
export { registryHistory } from './history.js';
export { parseModelRef } from './ref.js';
export type * from './types.js';
