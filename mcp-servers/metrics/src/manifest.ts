import { buildManifest } from '@devops-ai/mcp-kit';
import { metricsTools } from './tools/index.js';

export const METRICS_SERVER_NAME = 'metrics';

export const metricsManifest = buildManifest(METRICS_SERVER_NAME, metricsTools);
