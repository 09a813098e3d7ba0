import { z } from 'zod';
import {
  reportFor,
  reportLastMinutesInput,
  scoreSeries,
  thresholdInput,
  warmupFor,
  warmupMinutesInput,
} from '../anomalies.js';
import { forecastingTool } from '../deps.js';
import { loadSeries, sourceFields } from '../series.js';

export const detectAnomalies = forecastingTool({
  name: 'forecasting_detect_anomalies',
  title: 'Detect anomalies in a series',
  description:
    'Runs the streaming anomaly detector over a series (each point scored in [0, 1] from the past only) and ' +
    'returns the points at or above the threshold, each with the reason: spikes, level shifts, seasonal breaks, ' +
    'noise changes, new patterns, a series stuck at one value. For a metric it also reads two days before the ' +
    'window to warm the detector up (warmupMinutes) and reports the window only.',
  input: z.object({
    ...sourceFields,
    threshold: thresholdInput,
    maxResults: z.number().int().min(1).max(500).default(50),
    reportLastMinutes: reportLastMinutesInput,
    warmupMinutes: warmupMinutesInput,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const s = await loadSeries(args, deps, { warmupMinutes: warmupFor(args) });
    const r = scoreSeries(
      s.values,
      s.startMs,
      s.stepSeconds,
      args.threshold,
      args.maxResults,
      reportFor(args.reportLastMinutes, s.window),
    );
    return {
      points: s.values.length,
      ...(s.window !== undefined ? { warmupMinutes: s.window.warmupMinutes } : {}),
      threshold: args.threshold,
      ...r,
    };
  },
});
