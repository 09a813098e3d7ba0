import { adviseHpa as advise } from '@devops-ai/engines';
import { z } from 'zod';
import { forecastingTool } from '../deps.js';
import { engine, loadSeries, sourceFields } from '../series.js';

const MAX_SCHEDULE_SHOWN = 24;

export const adviseHpa = forecastingTool({
  name: 'forecasting_advise_hpa',
  title: 'Advise HPA settings',
  description:
    'Recommends HPA min/max/target, scale-down stabilisation, scale-up policy and a scheduled pre-scale from ' +
    'a traffic history, by replaying it through a simulation of the Kubernetes HPA algorithm; reports ' +
    'SLO-violation minutes and replica-hours for the current and the recommended configuration on held-out data.',
  input: z.object({
    ...sourceFields,
    capacityPerPod: z.number().gt(0).describe('Load one pod serves within its SLO, in the series units'),
    current: z.object({
      minReplicas: z.number().int().min(1),
      maxReplicas: z.number().int().min(1),
      targetUtilization: z.number().gt(0).max(1).describe('e.g. 0.7 for 70% CPU'),
    }),
    podStartupSeconds: z.number().min(0).max(3600).default(60),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const s = await loadSeries(args, deps);
    const values = s.values.map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
    const a = engine(() =>
      advise(values, {
        stepSeconds: s.stepSeconds,
        capacityPerPod: args.capacityPerPod,
        current: args.current,
        podStartupSeconds: args.podStartupSeconds,
      }),
    );
    const { schedule, ...rest } = a.recommended;
    return {
      recommended: {
        ...rest,
        scheduledPreScale: {
          windows: schedule.length,
          first: schedule.slice(0, MAX_SCHEDULE_SHOWN).map((w) => ({
            from: new Date(s.startMs + w.fromSeconds * 1000).toISOString(),
            to: new Date(s.startMs + w.toSeconds * 1000).toISOString(),
            minReplicas: w.minReplicas,
          })),
        },
      },
      heldOut: a.heldOut,
      full: a.full,
      rationale: a.rationale,
    };
  },
});
