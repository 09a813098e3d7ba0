import { InvalidArgumentError, NotAvailableError } from '@devops-ai/core';
import { type CostRow, detectCostAnomalies as detect } from '@devops-ai/engines';
import { z } from 'zod';
import { forecastingTool } from '../deps.js';
import { engine, isoTime } from '../series.js';

export const detectCostAnomalies = forecastingTool({
  name: 'forecasting_detect_cost_anomalies',
  title: 'Detect cost anomalies',
  description:
    'Finds spikes, new spend and step changes in daily cost per service, with the drivers (usage types that ' +
    'moved). Each day is also compared with the same weekday in earlier weeks, so a weekly batch job or a ' +
    'weekend shutdown is not flagged every week (weekly: false turns that off). Give rows inline, or a ' +
    'metric query whose series are labelled by service (daily step).',
  input: z.object({
    rows: z
      .array(
        z.object({
          date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          service: z.string().min(1).max(200),
          usageType: z.string().min(1).max(200).optional(),
          cost: z.number().finite(),
        }),
      )
      .max(100_000)
      .optional(),
    metric: z
      .object({
        query: z.string().min(1).max(4000),
        start: isoTime,
        end: isoTime,
        serviceLabel: z.string().min(1).default('service'),
        usageTypeLabel: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Label naming what was used (e.g. "type": cpu, ram, storage), so anomalies come with their drivers',
          ),
      })
      .optional(),
    window: z.number().int().min(3).max(90).default(14),
    k: z.number().gt(0).default(4),
    minAmount: z.number().min(0).default(1),
    /** Also compare each day with the same weekday in earlier weeks (weekly batch jobs, weekend shutdowns). */
    weekly: z.boolean().default(true),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    if ((args.rows === undefined) === (args.metric === undefined)) {
      throw new InvalidArgumentError('give exactly one of `rows` or `metric`');
    }
    let rows: CostRow[] = [];
    if (args.rows) rows = args.rows.map((r) => ({ ...r, ...(r.usageType ? {} : { usageType: '(total)' }) }));
    else if (args.metric) {
      if (!deps.metrics)
        throw new NotAvailableError('no metrics backend is configured; pass the rows inline');
      const series = await deps.metrics.rangeQuery(
        args.metric.query,
        args.metric.start,
        args.metric.end,
        86_400,
      );
      const { serviceLabel, usageTypeLabel } = args.metric;
      rows = series.flatMap((s) =>
        s.points.map((p) => ({
          date: p.time.slice(0, 10),
          service: s.labels[serviceLabel] ?? '(unlabelled)',
          usageType: usageTypeLabel !== undefined ? (s.labels[usageTypeLabel] ?? '(unlabelled)') : '(total)',
          cost: p.value,
        })),
      );
    }
    const anomalies = engine(() =>
      detect(rows, { window: args.window, k: args.k, minAmount: args.minAmount, weekly: args.weekly }),
    );
    return { rows: rows.length, anomalies };
  },
});
