/** The anomaly detector over one series, as the anomaly tools report it. */
import {
  createAnomalyDetector,
  describeAnomalyReason,
  detectorWarmupMs,
  scorePoints,
  type WatchHit,
} from '@devops-ai/engines';
import { z } from 'zod';
import { labelKey } from './series.js';

/** The alert threshold both anomaly tools take. */
export const thresholdInput = z
  .number()
  .gt(0)
  .max(1)
  .default(0.55)
  .describe('0.5 = as surprising as the worst recent event');

/** The threshold and the bounds of an answer over many series (the scan and the watch). */
export const rankedScanFields = {
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
};

export interface ScoredAnomaly {
  readonly time: string;
  readonly value: number;
  readonly score: number;
  readonly reason: string;
}

export interface ScoredSeries {
  readonly maxScore: number;
  /** The strongest `maxResults` points at or above the threshold, in time order. */
  readonly anomalies: ScoredAnomaly[];
  /** More points passed the threshold than `maxResults`. */
  readonly truncated: boolean;
}

export const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** An engine hit as the tools report it: ISO time, score to three decimals, the reason in words. */
export function toScoredAnomaly(h: WatchHit): ScoredAnomaly {
  return {
    time: new Date(h.timeMs).toISOString(),
    value: h.value,
    score: round3(h.score),
    reason: describeAnomalyReason(h.reason),
  };
}

/** Series strongest first; ties (e.g. every quiet series at 0) in label order, so answers are stable. */
export function rankByScore<T extends { labels: Record<string, string>; maxScore: number }>(xs: T[]): T[] {
  const key = new Map(xs.map((x) => [x, labelKey(x.labels)]));
  return [...xs].sort(
    (a, b) => b.maxScore - a.maxScore || ((key.get(a) ?? '') < (key.get(b) ?? '') ? -1 : 1),
  );
}

/**
 * Only the last N minutes of the window are reported; the part before warms the detector up (see
 * `detectorWarmupMs`: in its first day a fresh detector finds every new high or low novel).
 */
export const reportLastMinutesInput = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe(
    "Score the whole window but report only its last N minutes, and nothing in the detector's first day: " +
      'the earlier part warms it up (its novelty records start empty; a day of history gives it the daily ' +
      'cycle). The answer says from when it reports (reportedFrom; null: the window is all warm-up)',
  );

/**
 * History read before a metric window to warm the detector up: scored, never reported. By default two
 * days, unless the caller reports only the window's last minutes (then the window holds its warm-up).
 */
export const warmupMinutesInput = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 60)
  .optional()
  .describe(
    'Metric references only: minutes of history read before the window to warm the detector up (scored, ' +
      'never reported). Default 2880 (two days), or 0 when reportLastMinutes is given',
  );

/** The warm-up a metric read gets: as asked, else two days unless the report is the window's tail. */
export function warmupFor(args: {
  warmupMinutes?: number | undefined;
  reportLastMinutes?: number | undefined;
}) {
  return args.warmupMinutes ?? (args.reportLastMinutes === undefined ? 2 * 1440 : 0);
}

/**
 * The report window of a call: its last minutes when asked, else a metric window read with history
 * before it, else everything.
 */
export function reportFor(
  reportLastMinutes: number | undefined,
  window: { startMs: number; warmupMinutes: number } | undefined,
): ReportWindow | undefined {
  if (reportLastMinutes !== undefined) return { lastMinutes: reportLastMinutes };
  return window !== undefined && window.warmupMinutes > 0 ? { fromMs: window.startMs } : undefined;
}

/**
 * What is reported: the last `lastMinutes` of the series, or everything from `fromMs` (a metric
 * window read with history before it); never the detector's warm-up.
 */
export type ReportWindow = { readonly lastMinutes: number } | { readonly fromMs: number };

/**
 * Runs a fresh streaming detector over the series (each point scored from the past only). With a
 * report window, reports (anomalies and the highest score) only that part after the warm-up, and
 * says from when (`reportedFrom`, `warmupTrimmed`); otherwise every point.
 */
export function scoreSeries(
  values: readonly number[],
  startMs: number,
  stepSeconds: number,
  threshold: number,
  maxResults: number,
  report?: ReportWindow,
): ScoredSeries & { reportedFrom?: string | null; warmupTrimmed?: boolean } {
  const lastPointMs = startMs + (values.length - 1) * stepSeconds * 1000;
  const window = reportWindow(startMs, lastPointMs, stepSeconds, report);
  const r = scorePoints(
    createAnomalyDetector(),
    { values, startMs, stepMs: stepSeconds * 1000 },
    { reportFromMs: window.from, threshold, maxHits: maxResults },
  );
  return {
    ...(report !== undefined ? reportFields(window, startMs, lastPointMs, stepSeconds) : {}),
    maxScore: round3(r.maxScore),
    anomalies: r.hits.map(toScoredAnomaly),
    truncated: r.truncated,
  };
}

/**
 * The first reported time: the report window's start, and never within the detector's first day
 * (when the step divides a day) or first 300 points, whatever history was read: a window asked to be
 * reported in full gets its report trimmed rather than the first-day noise; and whether that warm-up
 * moved it. Everything without a report window (the caller reads the whole series).
 */
function reportWindow(
  startMs: number,
  lastPointMs: number,
  stepSeconds: number,
  report: ReportWindow | undefined,
): { from: number; trimmed: boolean } {
  if (report === undefined) return { from: Number.NEGATIVE_INFINITY, trimmed: false };
  const warmupMs = detectorWarmupMs(stepSeconds * 1000);
  const asked = 'fromMs' in report ? report.fromMs : lastPointMs - report.lastMinutes * 60_000 + 1;
  const warm = startMs + warmupMs;
  return { from: Math.max(asked, warm), trimmed: warm > asked };
}

/** What a report limited to the last minutes says about itself: its first point's time. */
function reportFields(
  w: { from: number; trimmed: boolean },
  startMs: number,
  lastPointMs: number,
  stepSeconds: number,
): { reportedFrom: string | null; warmupTrimmed: boolean } {
  const stepMs = stepSeconds * 1000;
  const first = startMs + Math.max(0, Math.ceil((w.from - startMs) / stepMs)) * stepMs;
  return {
    reportedFrom: first > lastPointMs ? null : new Date(first).toISOString(),
    warmupTrimmed: w.trimmed,
  };
}
