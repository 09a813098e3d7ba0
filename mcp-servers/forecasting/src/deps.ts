import type { MetricsPort } from '@devops-ai/core';
import { defineTool } from '@devops-ai/mcp-kit';

export interface ForecastingDeps {
  /** Backend for metric references; without it, tools accept inline series only. */
  metrics?: MetricsPort;
}

export const forecastingTool = defineTool<ForecastingDeps>();
