import { buildManifest, inputSchemasOf } from '@devops-ai/mcp-kit';
import { metricsTools } from './tools/index.js';

export const METRICS_SERVER_NAME = 'metrics';

export const metricsManifest = buildManifest(METRICS_SERVER_NAME, metricsTools);

/** Input schemas by tool name (static; the host validates arguments before policy and approval). */
export const metricsInputSchemas = inputSchemasOf(metricsTools);
