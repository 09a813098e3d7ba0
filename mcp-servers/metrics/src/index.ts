export type { MetricsDeps } from './deps.js';
export { METRICS_SERVER_NAME, metricsManifest } from './manifest.js';
export { createMetricsServer } from './server.js';
export { metricsTools } from './tools/index.js';
