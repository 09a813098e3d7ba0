import type { AnyToolDefinition } from '@devops-ai/mcp-kit';
import type { ForecastingDeps } from '../deps.js';
import { adviseHpa } from './advise-hpa.js';
import { detectAnomalies } from './detect-anomalies.js';
import { detectCostAnomalies } from './detect-cost-anomalies.js';
import { forecastSeries } from './forecast-series.js';
import { planCapacity } from './plan-capacity.js';
import { predictBursts } from './predict-bursts.js';
import { scanAnomalies } from './scan-anomalies.js';
import { watchAnomalies } from './watch-anomalies.js';

export const forecastingTools: readonly AnyToolDefinition<ForecastingDeps>[] = [
  forecastSeries,
  predictBursts,
  planCapacity,
  adviseHpa,
  detectAnomalies,
  scanAnomalies,
  watchAnomalies,
  detectCostAnomalies,
];
