import { predictBursts as predict } from '@devops-ai/engines';
import { z } from 'zod';
import { forecastingTool } from '../deps.js';
import { defaultSeasonalities, engine, loadSeries, sourceFields } from '../series.js';

export const predictBursts = forecastingTool({
  name: 'forecasting_predict_bursts',
  title: 'Predict traffic bursts',
  description:
    'Names the coming windows where load will exceed a threshold (absolute, or a multiple of the recent ' +
    'baseline), e.g. "Traffic spike expected Mon 10:00–11:00, +40%", with a confidence for each.',
  input: z.object({
    ...sourceFields,
    horizon: z.number().int().min(1).max(5000).describe('Steps ahead to look'),
    threshold: z.number().optional().describe('Absolute threshold (default: baselineMultiple × baseline)'),
    baselineMultiple: z.number().gt(0).default(1.3),
    minConfidence: z.number().min(0).max(1).default(0.5).describe('Probability at which a window opens'),
    exitConfidence: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        'Probability below which an open window ends (default minConfidence / 2; at most minConfidence)',
      ),
    utcOffsetMinutes: z.number().int().min(-840).max(840).default(0).describe('Local time offset for labels'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const s = await loadSeries(args, deps);
    const lastTimestampMs = s.startMs + (s.values.length - 1) * s.stepSeconds * 1000;
    const p = engine(() =>
      predict(s.values, {
        lastTimestampMs,
        stepSeconds: s.stepSeconds,
        horizon: args.horizon,
        seasonalities: defaultSeasonalities(s.stepSeconds, s.values.length),
        baselineMultiple: args.baselineMultiple,
        minConfidence: args.minConfidence,
        utcOffsetMinutes: args.utcOffsetMinutes,
        ...(args.threshold !== undefined ? { threshold: args.threshold } : {}),
        ...(args.exitConfidence !== undefined ? { exitConfidence: args.exitConfidence } : {}),
      }),
    );
    return {
      baseline: p.baseline,
      threshold: p.threshold,
      bursts: p.bursts.map((b) => ({
        label: b.label,
        start: new Date(b.startMs).toISOString(),
        end: new Date(b.endMs).toISOString(),
        peak: b.peak,
        peakAt: new Date(b.peakAtMs).toISOString(),
        increasePct: b.increasePct,
        confidence: Math.round(b.confidence * 1000) / 1000,
      })),
    };
  },
});
