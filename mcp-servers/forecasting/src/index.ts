export type { ForecastingDeps } from './deps.js';
export { FORECASTING_SERVER_NAME, forecastingInputSchemas, forecastingManifest } from './manifest.js';
export { createForecastingServer } from './server.js';
export { forecastingTools } from './tools/index.js';
export { MAX_SCAN_POINTS } from './tools/scan-anomalies.js';
export { MAX_WATCH_POINTS } from './tools/watch-anomalies.js';
export { WatchState, type WatchStateOptions } from './watches.js';
