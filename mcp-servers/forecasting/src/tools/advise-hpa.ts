import { adviseHpa as advise, type HpaAdvice } from '@devops-ai/engines';
import { z } from 'zod';
import { forecastingTool } from '../deps.js';
import { engine, loadSeries, sourceFields } from '../series.js';

const MAX_SCHEDULE_SHOWN = 48;
const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * The recurring pre-scale in calendar terms (UTC): "13:20–13:35, min 6" every day, or
 * "Mon 08:45–10:00, min 8" every week, in calendar order (weeks from Monday).
 */
function recurringWindows(
  startMs: number,
  p: NonNullable<HpaAdvice['preScale']>,
): Array<{ from: string; to: string; minReplicas: number }> {
  const weekly = p.periodSeconds === WEEK_S;
  const label = (seconds: number) => {
    const d = new Date(startMs + seconds * 1000);
    const hhmm = d.toISOString().slice(11, 16);
    return weekly ? `${WEEKDAYS[d.getUTCDay()]} ${hhmm}` : hhmm;
  };
  // Position in the calendar period: time of day, or time since Monday 00:00 (1970-01-05 was a Monday).
  const position = (seconds: number) => {
    const t = Math.floor(startMs / 1000) + seconds - (weekly ? 4 * DAY_S : 0);
    return ((t % p.periodSeconds) + p.periodSeconds) % p.periodSeconds;
  };
  return [...p.windows]
    .sort((a, b) => position(a.fromSeconds) - position(b.fromSeconds))
    .map((w) => ({ from: label(w.fromSeconds), to: label(w.toSeconds), minReplicas: w.minReplicas }));
}

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
    minReplicasFloor: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('Lowest minReplicas to recommend (2 keeps a spare pod through node drains and rollouts)'),
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
        minReplicasFloor: args.minReplicasFloor,
      }),
    );
    const { schedule: _, ...rest } = a.recommended;
    const p = a.preScale;
    const windows = p !== undefined ? recurringWindows(s.startMs, p) : [];
    return {
      recommended: {
        ...rest,
        // Raise minReplicas in these windows every day or week (a CronJob or KEDA's cron scaler).
        scheduledPreScale:
          p !== undefined
            ? {
                every:
                  p.periodSeconds === DAY_S
                    ? 'day'
                    : p.periodSeconds === WEEK_S
                      ? 'week'
                      : `${p.periodSeconds} s`,
                timezone: 'UTC',
                coversLoadQuantile: p.quantile,
                windowCount: windows.length,
                windows: windows.slice(0, MAX_SCHEDULE_SHOWN),
              }
            : null,
      },
      heldOut: a.heldOut,
      full: a.full,
      rationale: a.rationale,
    };
  },
});
