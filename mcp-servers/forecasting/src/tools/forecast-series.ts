import { forecast } from '@devops-ai/engines';
import { z } from 'zod';
import { forecastingTool } from '../deps.js';
import { defaultSeasonalities, engine, loadSeries, sourceFields } from '../series.js';

export const forecastSeries = forecastingTool({
  name: 'forecasting_forecast_series',
  title: 'Forecast a series',
  description:
    'Point forecast with prediction intervals for a traffic or resource series (inline values or a PromQL ' +
    'query), with daily/weekly seasonality, damped trend, and outlier/outage cleaning of the history.',
  input: z.object({
    ...sourceFields,
    horizon: z.number().int().min(1).max(5000).describe('Steps to forecast'),
    seasonalities: z
      .array(z.number().int().min(2))
      .max(4)
      .optional()
      .describe('Seasonal periods in steps (default: daily and weekly when the step divides them)'),
    level: z.number().gt(0).lt(1).default(0.9).describe('Central coverage of the interval'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const s = await loadSeries(args, deps);
    const seasonalities = args.seasonalities ?? defaultSeasonalities(s.stepSeconds, s.values.length);
    const r = engine(() => forecast(s.values, { horizon: args.horizon, seasonalities, level: args.level }));
    const lastMs = s.startMs + (s.values.length - 1) * s.stepSeconds * 1000;
    return {
      source: s.source,
      stepSeconds: s.stepSeconds,
      level: r.level,
      seasonalities: r.seasonalities,
      historyPoints: s.values.length,
      cleanedHistoryPoints: r.cleaned.length,
      method: r.members.map((m) => m.name),
      points: r.mean.map((mean, j) => ({
        time: new Date(lastMs + (j + 1) * s.stepSeconds * 1000).toISOString(),
        mean,
        lower: r.lower[j] ?? mean,
        upper: r.upper[j] ?? mean,
      })),
    };
  },
});
