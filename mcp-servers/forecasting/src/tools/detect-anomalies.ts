import { createAnomalyDetector, describeAnomalyReason } from '@devops-ai/engines';
import { z } from 'zod';
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
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.55)
      .describe('0.5 = as surprising as the worst recent event'),
    maxResults: z.number().int().min(1).max(500).default(50),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const s = await loadSeries(args, deps);
    const detector = createAnomalyDetector();
    const hits: Array<{ time: string; value: number; score: number; reason: string }> = [];
    let maxScore = 0;
    s.values.forEach((v, i) => {
      const t = s.startMs + i * s.stepSeconds * 1000;
      const score = detector.update(v, t);
      maxScore = Math.max(maxScore, score);
      const reason = detector.reason;
      if (score >= args.threshold && reason !== undefined)
        hits.push({
          time: new Date(t).toISOString(),
          value: v,
          score: Math.round(score * 1000) / 1000,
          reason: describeAnomalyReason(reason),
        });
    });
    const top = [...hits].sort((a, b) => b.score - a.score).slice(0, args.maxResults);
    return {
      points: s.values.length,
      threshold: args.threshold,
      maxScore: Math.round(maxScore * 1000) / 1000,
      anomalies: top.sort((a, b) => (a.time < b.time ? -1 : 1)),
      truncated: hits.length > top.length,
    };
  },
});
