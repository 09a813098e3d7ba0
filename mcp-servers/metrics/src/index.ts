export type { MetricsDeps } from './deps.js';
export { METRICS_SERVER_NAME, metricsInputSchemas, metricsManifest } from './manifest.js';
export { createMetricsServer } from './server.js';
export { metricsTools } from './tools/index.js';
