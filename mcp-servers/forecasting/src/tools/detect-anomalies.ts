import { z } from 'zod';
import {
  reportFields,
  reportLastMinutesInput,
  reportWindow,
  scoreSeries,
  thresholdInput,
} from '../anomalies.js';
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
    const endMs = s.startMs + (s.values.length - 1) * s.stepSeconds * 1000;
    const w = reportWindow(s.startMs, endMs, s.stepSeconds, args.reportLastMinutes);
    const from = w.from;
    const r = scoreSeries(s.values, s.startMs, s.stepSeconds, args.threshold, args.maxResults, from);
    return {
      points: s.values.length,
      ...(args.reportLastMinutes !== undefined ? reportFields(w, s.startMs, endMs, s.stepSeconds) : {}),
      threshold: args.threshold,
      ...r,
    };
  },
});
