import type { MetricsPort } from '@devops-ai/core';
import { defineTool } from '@devops-ai/mcp-kit';
import type { WatchState } from './watches.js';

export interface ForecastingDeps {
  /** Backend for metric references; without it, tools accept inline series only. */
  metrics?: MetricsPort;
  /** Live detectors of forecasting_watch_anomalies, kept between calls (one per process). */
  watches?: WatchState;
}

export const forecastingTool = defineTool<ForecastingDeps>();
