import { InvalidArgumentError, NotAvailableError } from '@devops-ai/core';
import type { GridSeries, WatchHit } from '@devops-ai/engines';
import { z } from 'zod';
import { rankByScore, rankedScanFields, round3, toScoredAnomaly } from '../anomalies.js';
import { forecastingTool } from '../deps.js';
import { isoTime, labelKey, labelledSeriesInput, loadSeries, readRange } from '../series.js';

/** Steps re-read before the last window's end, for samples that arrived late; seen points are skipped. */
const OVERLAP_STEPS = 5;
/** Steps per range query when a call reads more (a first call's history). */
const SLICE_STEPS = 1440;
/**
 * Points one call may score in all: a first call over 2,000 one-minute series with two days of
 * warm-up (5.8 million) took 18 s in-process (`npm run bench:watch`); later calls score one point
 * per series and scrape (51 ms for the 2,000).
 */
export const MAX_WATCH_POINTS = 6_000_000;

interface SeriesReport {
  readonly labels: Record<string, string>;
  newSeries?: boolean;
  fed: number;
  maxScore: number;
  hits: WatchHit[];
  truncated: boolean;
  warmUntilMs?: number;
  lastMs?: number;
}

export const watchAnomalies = forecastingTool({
  name: 'forecasting_watch_anomalies',
  title: 'Watch many series for anomalies, call after call',
  description:
    'For a polling loop (an agent, a cron job) that checks every series of a query on each scrape. The server ' +
    'keeps one live anomaly detector per series between calls: the first call reads warmupMinutes of history ' +
    'to warm them up and reports only the newest point; each later call with the same watch name reads only ' +
    'what came since the last call and reports the anomalies among those new points, ranked. So each scrape ' +
    'costs one point per series, not a window. For one question about a window, use ' +
    "forecasting_scan_anomalies instead. Give a metric query, or push each series' new points inline. State " +
    'lives in the server process (a restart warms up again).',
  input: z.object({
    watch: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _ . : - only, at most 100')
      .default('default')
      .describe('Name of this polling loop: each watch keeps its own detectors and position'),
    query: z
      .string()
      .min(1)
      .max(4000)
      .optional()
      .describe('PromQL returning the series to watch, e.g. service:requests_per_second{namespace="prod"}'),
    series: z
      .array(labelledSeriesInput)
      .min(1)
      .max(5000)
      .optional()
      .describe(
        "Instead of a query: the new points of each series, pushed by the caller (each with its labels, step and start); points at or before a series' last seen are skipped",
      ),
    stepSeconds: z.number().int().min(1).max(3600).default(60),
    end: isoTime
      .optional()
      .describe(
        "With a query: read up to this time (default: the metrics backend's now); never before the watch's last read",
      ),
    warmupMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(2880)
      .describe(
        "With a query: history read on a watch's first call (or after a gap longer than it). A detector reports nothing " +
          'in its own first day, so two days give one day of warm history',
      ),
    ...rankedScanFields,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false },
  risk: 'low',
  handler: async (args, deps) => {
    if ((args.query === undefined) === (args.series === undefined))
      throw new InvalidArgumentError(
        'give exactly one of `query` (a metric query) or `series` (inline, with labels)',
      );
    const state = deps.watches;
    if (!state) throw new NotAvailableError('this server keeps no watch state');
    const bySeries = new Map<string, SeriesReport>();
    let pointsScored = 0;
    /** Feeds one series' points to its detector and adds what it reported to the call's answer. */
    const feed = (
      watchKey: string,
      labels: Record<string, string>,
      order: string,
      s: GridSeries,
      reportFromMs: number,
    ) => {
      let report = bySeries.get(order);
      if (report === undefined) {
        report = { labels, fed: 0, maxScore: 0, hits: [], truncated: false };
        bySeries.set(order, report);
      }
      const a = state.detectors.advance(`${watchKey}\u0000${order}`, s, {
        threshold: args.threshold,
        reportFromMs,
        maxHits: args.maxAnomaliesPerSeries,
      });
      if (report.fed === 0 && a.newSeries) report.newSeries = true;
      report.fed += a.fed;
      pointsScored += a.fed;
      report.maxScore = Math.max(report.maxScore, a.maxScore);
      report.hits.push(...a.hits);
      report.truncated ||= a.truncated;
      report.warmUntilMs = a.warmUntilMs;
      report.lastMs = a.lastMs;
    };
    /** Refuses, before any detector is fed, more series or points than one call may take. */
    const checkSize = (count: number, points: number, what: string) => {
      if (count > args.maxSeries)
        throw new InvalidArgumentError(
          `${what} ${count} series or more, more than maxSeries (${args.maxSeries}); narrow its labels or raise maxSeries`,
        );
      // More series than the server keeps detectors for would evict each other on every call, and
      // a detector forgotten before its first day is over never reports.
      if (count > state.detectors.capacity)
        throw new InvalidArgumentError(
          `${what} ${count} series or more, and this server keeps at most ${state.detectors.capacity} live detectors (FORECASTING_WATCH_MAX_SERIES); narrow its labels`,
        );
      if (points > MAX_WATCH_POINTS)
        throw new InvalidArgumentError(
          `${points} points is more than ${MAX_WATCH_POINTS} for one call; shorten warmupMinutes, raise stepSeconds or narrow the labels`,
        );
    };
    let window: { start: string; end: string; stepSeconds: number } | null = null;
    let resumed: boolean;
    if (args.series !== undefined) {
      // Pushed points: every new one past a detector's warm-up is news.
      const watchKey = JSON.stringify([args.watch, 'inline']);
      const orders = args.series.map((s) => labelKey(s.labels));
      checkSize(
        new Set(orders).size,
        args.series.reduce((n, s) => n + s.values.length, 0),
        'the call sent',
      );
      for (const [i, { labels, ...one }] of args.series.entries()) {
        const s = await loadSeries({ series: one }, deps);
        feed(
          watchKey,
          labels,
          orders[i] as string,
          { values: s.values, startMs: s.startMs, stepMs: s.stepSeconds * 1000 },
          Number.NEGATIVE_INFINITY,
        );
      }
      resumed = [...bySeries.values()].every((r) => r.newSeries !== true);
    } else {
      if (!deps.metrics)
        throw new NotAvailableError('no metrics backend is configured: send the series inline');
      const query = args.query as string;
      const stepMs = args.stepSeconds * 1000;
      const endIso = args.end ?? (await deps.metrics.now());
      const endMs = Math.floor(Date.parse(endIso) / stepMs) * stepMs;
      const queryKey = JSON.stringify([args.watch, query, args.stepSeconds]);
      const last = state.lastEnd(queryKey);
      if (last !== undefined && endMs < last)
        throw new InvalidArgumentError(
          `end ${new Date(endMs).toISOString()} is before this watch's last read (${new Date(last).toISOString()}); a watch only moves forward (use another watch name to replay)`,
        );
      const warmupMs = args.warmupMinutes * 60_000;
      // Resumed: the last read is recent enough that reading on from it beats warming up again.
      resumed = last !== undefined && endMs - last <= Math.max(warmupMs, OVERLAP_STEPS * stepMs);
      const startMs = resumed
        ? (last as number) - OVERLAP_STEPS * stepMs
        : endMs - Math.max(warmupMs, OVERLAP_STEPS * stepMs);
      // A first call reads its history in slices of a day of steps (bounded memory); each slice is
      // fed before the next is read. Slices share their boundary step, which the detectors skip.
      const sliceMs = SLICE_STEPS * stepMs;
      const totalSteps = Math.round((endMs - startMs) / stepMs) + 1;
      // A first call warmed its detectors on history: only what is current is news.
      const reportFromMs = resumed ? Number.NEGATIVE_INFINITY : endMs;
      for (let from = startMs; from < endMs; from += sliceMs) {
        const to = Math.min(endMs, from + sliceMs);
        const read = await readRange(
          {
            query,
            start: new Date(from).toISOString(),
            end: new Date(to).toISOString(),
            stepSeconds: args.stepSeconds,
          },
          deps,
          SLICE_STEPS + 1,
          { minSamples: 1, allowEmpty: true },
        );
        const orders = read.series.map((s) => labelKey(s.labels));
        const count = new Set([...bySeries.keys(), ...orders]).size;
        checkSize(count, count * totalSteps, 'the query returned');
        for (const [i, s] of read.series.entries())
          feed(
            queryKey,
            s.labels,
            orders[i] as string,
            { values: s.values, startMs: s.startMs, stepMs },
            reportFromMs,
          );
      }
      if (bySeries.size === 0)
        throw new InvalidArgumentError(
          `the query returned no data between ${new Date(startMs).toISOString()} and ${new Date(endMs).toISOString()}; check the metric name and labels`,
        );
      state.setLastEnd(queryKey, endMs);
      window = {
        start: new Date(startMs).toISOString(),
        end: new Date(endMs).toISOString(),
        stepSeconds: args.stepSeconds,
      };
    }
    let newSeries = 0;
    let warmingUp = 0;
    const results = rankByScore(
      [...bySeries.values()].map((r) => {
        if (r.newSeries) newSeries++;
        const warming = (r.warmUntilMs ?? 0) > (r.lastMs ?? 0);
        if (warming) warmingUp++;
        // The strongest of the call's hits (slices each kept their strongest), in time order.
        const hits = [...r.hits].sort((a, b) => b.score - a.score);
        const kept = hits.slice(0, args.maxAnomaliesPerSeries).sort((a, b) => a.timeMs - b.timeMs);
        return {
          labels: r.labels,
          newPoints: r.fed,
          maxScore: round3(r.maxScore),
          anomalies: kept.map(toScoredAnomaly),
          truncated: r.truncated || kept.length < hits.length,
          ...(warming ? { warmingUpUntil: new Date(r.warmUntilMs as number).toISOString() } : {}),
        };
      }),
    );
    return {
      watch: args.watch,
      window,
      resumed,
      series: results.length,
      newSeries,
      warmingUp,
      pointsScored,
      threshold: args.threshold,
      withAnomalies: results.filter((r) => r.anomalies.length > 0).length,
      results: results.slice(0, args.maxResults),
      truncated: results.length > args.maxResults,
      watchedSeries: state.detectors.size,
      evicted: state.detectors.evicted,
    };
  },
});
