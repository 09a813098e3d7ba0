import { buildManifest, inputSchemasOf } from '@devops-ai/mcp-kit';
import { forecastingTools } from './tools/index.js';

export const FORECASTING_SERVER_NAME = 'forecasting';

export const forecastingManifest = buildManifest(FORECASTING_SERVER_NAME, forecastingTools);

/** Input schemas by tool name (static; the host validates arguments before policy and approval). */
export const forecastingInputSchemas = inputSchemasOf(forecastingTools);
