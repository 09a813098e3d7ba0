export { DEFAULT_LOG_LINES } from './cluster-port.js';
export { INCIDENT_DEFAULTS, INCIDENT_KINDS, type IncidentInput, incidentInputSchema } from './incidents.js';
export {
  HISTORY_MINUTES,
  NAMESPACES,
  NODE_GROUPS,
  RETENTION_MINUTES,
  SANDBOX_START,
  SERVICE_NAMES,
  SERVICES,
  type ServiceName,
} from './model.js';
export { METRICS as SANDBOX_METRICS, SUPPORTED_FORMS as SANDBOX_PROMQL_SUBSET } from './promql.js';
export type { Incident, IncidentKind } from './state.js';
export { copyWorld, worldTemplatePath } from './template.js';
export {
  DEFAULT_SEED,
  MAX_ADVANCE_MINUTES,
  openSandbox,
  type SandboxOptions,
  type SandboxSnapshot,
  type SandboxWorld,
} from './world.js';
