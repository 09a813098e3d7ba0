import { InvalidArgumentError } from '@devops-ai/core';
import { z } from 'zod';
import { type ScoredSeries, scoreSeries, thresholdInput } from '../anomalies.js';
import { forecastingTool } from '../deps.js';
import { MAX_POINTS, metricSetInput, readRange } from '../series.js';

/**
 * Points one call may score in all (about 7 s of the detector on one core at the NAB benchmark's
 * 147,000 points/s): a scan of 200 services' requests over 12 hours at one-minute steps is 144,000.
 */
export const MAX_SCAN_POINTS = 1_000_000;

export const scanAnomalies = forecastingTool({
  name: 'forecasting_scan_anomalies',
  title: 'Scan many series for anomalies',
  description:
    'Runs the streaming anomaly detector over every series a metric query returns (one per service, pod or ' +
    'node: e.g. service:requests_per_second{namespace="prod"}), each on its own, and returns the series ' +
    'ranked by their strongest score, each with its anomalies and their reasons. For "is anything unusual ' +
    'anywhere?"; forecasting_detect_anomalies looks at one series.',
  input: z.object({
    metric: metricSetInput,
    threshold: thresholdInput,
    maxSeries: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .default(500)
      .describe('Refuse a query that returns more series than this (narrow its labels instead)'),
    maxResults: z.number().int().min(1).max(500).default(20).describe('Series returned, strongest first'),
    maxAnomaliesPerSeries: z.number().int().min(1).max(100).default(5),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    const { series, stepSeconds, start, end } = await readRange(args.metric, deps, MAX_POINTS);
    if (series.length > args.maxSeries)
      throw new InvalidArgumentError(
        `the query returned ${series.length} series, more than maxSeries (${args.maxSeries}); narrow its labels or raise maxSeries`,
      );
    const points = series.reduce((n, s) => n + s.values.length, 0);
    if (points > MAX_SCAN_POINTS)
      throw new InvalidArgumentError(
        `the query returned ${points} points in all, more than ${MAX_SCAN_POINTS}; shorten the window, raise stepSeconds or narrow the labels`,
      );
    const scored: Array<{ labels: Record<string, string>; points: number } & ScoredSeries> = series.map(
      (s) => ({
        labels: s.labels,
        points: s.values.length,
        ...scoreSeries(s.values, s.startMs, stepSeconds, args.threshold, args.maxAnomaliesPerSeries),
      }),
    );
    // Strongest first; ties (e.g. every quiet series at 0) in label order, so answers are stable.
    const key = (l: Record<string, string>) =>
      Object.entries(l)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
    scored.sort((a, b) => b.maxScore - a.maxScore || (key(a.labels) < key(b.labels) ? -1 : 1));
    return {
      window: { start, end, stepSeconds },
      series: series.length,
      points,
      threshold: args.threshold,
      withAnomalies: scored.filter((s) => s.anomalies.length > 0).length,
      results: scored.slice(0, args.maxResults),
      truncated: scored.length > args.maxResults,
    };
  },
});
