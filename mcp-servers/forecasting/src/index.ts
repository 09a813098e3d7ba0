export type { ForecastingDeps } from './deps.js';
export { FORECASTING_SERVER_NAME, forecastingInputSchemas, forecastingManifest } from './manifest.js';
export { createForecastingServer } from './server.js';
export { forecastingTools } from './tools/index.js';
