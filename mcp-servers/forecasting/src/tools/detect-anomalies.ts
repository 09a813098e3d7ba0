import { z } from 'zod';
import { reportLastMinutesInput, scoreSeries, thresholdInput } from '../anomalies.js';
import { forecastingTool } from '../deps.js';
import { loadSeries, sourceFields } from '../series.js';

export const detectAnomalies = forecastingTool({
  name: 'forecasting_detect_anomalies',
  title: 'Detect anomalies in a series',
  description:
    'Runs the streaming anomaly detector over a series (each point scored in [0, 1] from the past only) and ' +
    'returns the points at or above the threshold, each with the reason: spikes, level shifts, seasonal breaks, ' +
    'noise changes, new patterns, a series stuck at one value.',
  input: z.object({
    ...sourceFields,
    threshold: thresholdInput,
    maxResults: z.number().int().min(1).max(500).default(50),
    reportLastMinutes: reportLastMinutesInput,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const s = await loadSeries(args, deps);
    const r = scoreSeries(
      s.values,
      s.startMs,
      s.stepSeconds,
      args.threshold,
      args.maxResults,
      args.reportLastMinutes,
    );
    return { points: s.values.length, threshold: args.threshold, ...r };
  },
});
