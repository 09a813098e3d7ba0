import { InvalidArgumentError } from '@devops-ai/core';
import { capacityPlanSchema, forecast, peakFactor, planCapacity as plan } from '@devops-ai/engines';
import { z } from 'zod';
import { forecastingTool } from '../deps.js';
import { defaultSeasonalities, engine, loadSeries, sourceFields } from '../series.js';

const planFields = capacityPlanSchema.shape;

export const planCapacity = forecastingTool({
  name: 'forecasting_plan_capacity',
  title: 'Plan capacity',
  description:
    'Forecasts the load and derives the replicas and nodes needed per window from the per-pod capacity, ' +
    'and when the HPA maximum, the node group maximum or a pod quota will be hit.',
  input: z.object({
    ...sourceFields,
    horizon: z.number().int().min(1).max(5000),
    // The engine's own fields, so the tool accepts exactly what the planner does.
    capacityPerPod: planFields.capacityPerPod.describe(
      'Load one pod serves within its SLO, in the series units',
    ),
    targetUtilization: planFields.targetUtilization,
    minReplicas: planFields.minReplicas.describe('Fewest replicas in any window (the HPA minimum)'),
    podsPerNode: planFields.podsPerNode,
    windowSteps: planFields.windowSteps.describe('Steps per planning window'),
    useUpperBound: z.boolean().default(true).describe('Plan on the 90% upper bound instead of the mean'),
    peakFactor: planFields.peakFactor.describe(
      'Multiply the load by this for peaks finer than the series (e.g. minute-level bursts in 5-minute means)',
    ),
    peakStepSeconds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'With a metric: also read it at this finer step (dividing stepSeconds) and size for its peaks: ' +
          'the 75th percentile, over past windows, of the fine peak over the largest coarse mean',
      ),
    limits: planFields.limits,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const s = await loadSeries(args, deps);
    let factor = args.peakFactor;
    if (args.peakStepSeconds !== undefined) {
      const fineStep = args.peakStepSeconds;
      if (!args.metric) throw new InvalidArgumentError('peakStepSeconds needs a metric reference');
      if (fineStep >= s.stepSeconds || s.stepSeconds % fineStep !== 0)
        throw new InvalidArgumentError(
          'peakStepSeconds must be a divisor of metric.stepSeconds, smaller than it',
        );
      const fine = await loadSeries({ metric: { ...args.metric, stepSeconds: fineStep } }, deps);
      factor = Math.max(factor, peakFactor(fine.values, s.stepSeconds / fineStep, args.windowSteps));
    }
    const seasonalities = defaultSeasonalities(s.stepSeconds, s.values.length);
    const f = engine(() => forecast(s.values, { horizon: args.horizon, seasonalities, level: 0.9 }));
    const firstTimestampMs = s.startMs + s.values.length * s.stepSeconds * 1000;
    const limits = Object.fromEntries(Object.entries(args.limits).filter(([, v]) => v !== undefined));
    const p = engine(() =>
      plan({
        mean: f.mean,
        ...(args.useUpperBound ? { upper: f.upper } : {}),
        firstTimestampMs,
        stepSeconds: s.stepSeconds,
        capacityPerPod: args.capacityPerPod,
        targetUtilization: args.targetUtilization,
        minReplicas: args.minReplicas,
        podsPerNode: args.podsPerNode,
        windowSteps: args.windowSteps,
        peakFactor: factor,
        limits,
      }),
    );
    return {
      peakFactor: factor,
      peakReplicas: p.peakReplicas,
      peakNodes: p.peakNodes,
      breaches: p.breaches.map((b) => ({ ...b, at: new Date(b.atMs).toISOString() })),
      windows: p.windows.map((w) => ({
        start: new Date(w.startMs).toISOString(),
        end: new Date(w.endMs).toISOString(),
        peakLoad: w.peakLoad,
        replicas: w.replicas,
        nodes: w.nodes,
      })),
    };
  },
});
