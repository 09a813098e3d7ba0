import type { MetricsPort } from '@devops-ai/core';
import { defineTool } from '@devops-ai/mcp-kit';

export interface MetricsDeps {
  metrics: MetricsPort;
}

export const metricsTool = defineTool<MetricsDeps>();
