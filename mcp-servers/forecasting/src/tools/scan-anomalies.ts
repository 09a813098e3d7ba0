import { InvalidArgumentError } from '@devops-ai/core';
import { z } from 'zod';
import {
  rankByScore,
  rankedScanFields,
  reportFor,
  reportLastMinutesInput,
  scoreSeries,
  warmupFor,
  warmupMinutesInput,
} from '../anomalies.js';
import { forecastingTool } from '../deps.js';
import {
  type LabelledSeries,
  labelledSeriesInput,
  loadSeries,
  MAX_POINTS,
  metricSetInput,
  readRange,
} from '../series.js';

/**
 * Points one call may score in all: about 3.5 s through the in-process MCP server, which scanned
 * 1,000 series of 720 one-minute points at 570,000–600,000 points/s (short series keep the shape
 * search small). The chat's namespace check reads 2.5 days at one-minute steps (3,600 points a series:
 * 12 h reported, 2 days of warm-up), so this covers about 550 services per signal.
 */
export const MAX_SCAN_POINTS = 2_000_000;

export const scanAnomalies = forecastingTool({
  name: 'forecasting_scan_anomalies',
  title: 'Scan many series for anomalies',
  description:
    'Runs the streaming anomaly detector over every series a metric query returns (one per service, pod or ' +
    'node: e.g. service:requests_per_second{namespace="prod"}), each on its own, and returns the series ' +
    'ranked by their strongest score, each with its anomalies and their reasons. For "is anything unusual ' +
    'anywhere?"; forecasting_detect_anomalies looks at one series. Give the metric query (two days before its ' +
    'window are read to warm the detectors up, as far as the points allow: warmupMinutes), or the series ' +
    'inline with their labels.',
  input: z.object({
    metric: metricSetInput.optional(),
    series: z
      .array(labelledSeriesInput)
      .min(1)
      .max(5000)
      .optional()
      .describe('Inline series, each with its own labels, step and start'),
    ...rankedScanFields,
    reportLastMinutes: reportLastMinutesInput,
    warmupMinutes: warmupMinutesInput,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (args, deps) => {
    if ((args.series === undefined) === (args.metric === undefined))
      throw new InvalidArgumentError(
        'give exactly one of `series` (inline, with labels) or `metric` (a query)',
      );
    const points = (args.series ?? []).reduce((n, s) => n + s.values.length, 0);
    if (points > MAX_SCAN_POINTS)
      throw new InvalidArgumentError(
        `${points} points in all, more than ${MAX_SCAN_POINTS}; send fewer series`,
      );
    let series: Array<LabelledSeries & { stepSeconds: number }>;
    let window: { start: string; end: string; stepSeconds: number; warmupMinutes: number } | null = null;
    if (args.metric) {
      const read = await readRange(args.metric, deps, MAX_POINTS, { warmupMinutes: warmupFor(args) });
      const stepMs = read.stepSeconds * 1000;
      const startMs = Date.parse(read.start);
      if (read.series.length > args.maxSeries)
        throw new InvalidArgumentError(
          `the query returned ${read.series.length} series, more than maxSeries (${args.maxSeries}); narrow its labels or raise maxSeries`,
        );
      // The window's own points must fit; the warm-up before it is shortened (the same for every
      // series) until the whole does.
      const warmPoints = (s: LabelledSeries) => Math.max(0, Math.round((startMs - s.startMs) / stepMs));
      const inWindow = read.series.reduce((n, s) => n + s.values.length - warmPoints(s), 0);
      if (inWindow > MAX_SCAN_POINTS)
        throw new InvalidArgumentError(
          `the query returned ${inWindow} points in all, more than ${MAX_SCAN_POINTS}; shorten the window, raise stepSeconds or narrow the labels`,
        );
      const total = read.series.reduce((n, s) => n + s.values.length, 0);
      let warmupSteps = Math.round((read.warmupMinutes * 60) / read.stepSeconds);
      if (total > MAX_SCAN_POINTS)
        warmupSteps = Math.min(warmupSteps, Math.floor((MAX_SCAN_POINTS - inWindow) / read.series.length));
      series = read.series.map((s) => {
        const drop = Math.max(0, warmPoints(s) - warmupSteps);
        return {
          labels: s.labels,
          values: s.values.slice(drop),
          startMs: s.startMs + drop * stepMs,
          stepSeconds: read.stepSeconds,
        };
      });
      const warmupMinutes = (warmupSteps * read.stepSeconds) / 60;
      window = { start: read.start, end: read.end, stepSeconds: read.stepSeconds, warmupMinutes };
    } else {
      series = [];
      for (const { labels, ...one } of args.series ?? []) {
        const s = await loadSeries({ series: one }, deps);
        series.push({ labels, values: s.values, startMs: s.startMs, stepSeconds: s.stepSeconds });
      }
    }
    const report = reportFor(
      args.reportLastMinutes,
      window !== null
        ? { startMs: Date.parse(window.start), warmupMinutes: window.warmupMinutes }
        : undefined,
    );
    const scored = series.map((s) => ({
      labels: s.labels,
      points: s.values.length,
      ...scoreSeries(s.values, s.startMs, s.stepSeconds, args.threshold, args.maxAnomaliesPerSeries, report),
    }));
    const ranked = rankByScore(scored);
    return {
      window,
      series: series.length,
      points: series.reduce((n, s) => n + s.values.length, 0),
      threshold: args.threshold,
      withAnomalies: ranked.filter((s) => s.anomalies.length > 0).length,
      results: ranked.slice(0, args.maxResults),
      truncated: ranked.length > args.maxResults,
    };
  },
});
