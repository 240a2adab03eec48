/**
 * The operator's configuration file: read (config-read.ts), edited (config-edit.ts), re-read (config-reread.ts).
 * One import for callers and tests.
 */
export {
  composedMap,
  OPERATOR_CONFIG_KEY,
  operatorConfigNode,
  readOperatorSettings,
  type OperatorConfigChanges,
  type OperatorImageSettings,
} from './config-read.js';
export { editedConfigText, operatorConfigEdits, wantedChanges } from './config-edit.js';
export { configProblem, configProblemByLibrary } from './config-reread.js';
