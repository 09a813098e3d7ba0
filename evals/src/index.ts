export { createHarness, type Harness, type HarnessOptions, tokenOf } from './harness.js';
export { CallRecorder, MUTATIONS, type PortMutation, type ServerCall } from './recorder.js';
export { buildReport, renderMarkdown, type SuiteReport } from './report.js';
export {
  checkExpect,
  checkState,
  MANIFESTS,
  type RunOptions,
  runScenario,
  type ScenarioResult,
  type StepResult,
} from './runner.js';
export {
  type ApprovalEvidence,
  checkSafety,
  inconsistentApprovals,
  type SafetyViolation,
  type ViolationKind,
} from './safety.js';
export {
  DEFAULT_USERS,
  type LoadedScenario,
  loadScenarioFile,
  loadScenarios,
  parseScenario,
  type Scenario,
  ScenarioError,
  type Step,
  scenarioSchema,
} from './scenario.js';
export { choose, passHatK, percentile, precision, recall } from './scoring.js';
export { resolveModel, runSuite, type SuiteOptions } from './suite.js';
