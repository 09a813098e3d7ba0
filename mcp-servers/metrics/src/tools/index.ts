import type { AnyToolDefinition } from '@devops-ai/mcp-kit';
import type { MetricsDeps } from '../deps.js';
import { getGoldenSignals } from './get-golden-signals.js';
import { listAlerts } from './list-alerts.js';
import { query } from './query.js';
import { queryRange } from './query-range.js';

export const metricsTools: readonly AnyToolDefinition<MetricsDeps>[] = [
  query,
  queryRange,
  getGoldenSignals,
  listAlerts,
];
