/**
 * A series given inline or as a reference to a metric read through the configured metrics backend.
 * Engine errors (validation, too-short series) become `invalid_argument` tool errors.
 */

import type { MetricsPort, RangeSeries } from '@devops-ai/core';
import { DevopsAiError, InvalidArgumentError, NotAvailableError } from '@devops-ai/core';
import { z } from 'zod';
import type { ForecastingDeps } from './deps.js';

export const isoTime = z.iso.datetime({ offset: true }).describe('RFC 3339 time, e.g. 2026-03-02T08:00:00Z');

export const MAX_POINTS = 50_000;

export const seriesInput = z
  .object({
    values: z.array(z.number()).min(3).max(MAX_POINTS).describe('Values, oldest first, one per step'),
    stepSeconds: z.number().int().min(1).max(86_400),
    start: isoTime.optional().describe('Time of the first value (default: aligned so the last value is now)'),
  })
  .describe('Inline series');

const metricShape = {
  query: z.string().min(1).max(4000).describe('PromQL expression returning one series'),
  start: isoTime.optional().describe('Start of the window (or give lookbackMinutes)'),
  end: isoTime.optional().describe("End of the window (default: the metrics backend's now)"),
  lookbackMinutes: z
    .number()
    .int()
    .min(1)
    .max(90 * 24 * 60)
    .optional()
    .describe('Window length back from `end`, instead of `start`'),
  stepSeconds: z.number().int().min(1).max(86_400),
};

const oneWindow = (m: { start?: string | undefined; lookbackMinutes?: number | undefined }) =>
  (m.start === undefined) !== (m.lookbackMinutes === undefined);
const oneWindowMessage = { message: 'give exactly one of `start` or `lookbackMinutes`' };

export const metricInput = z
  .object(metricShape)
  .refine(oneWindow, oneWindowMessage)
  .describe('Metric reference, read through the configured metrics backend');

/** A query that may return many series (one per service, pod, node …), for a scan over all of them. */
export const metricSetInput = z
  .object({
    ...metricShape,
    query: z
      .string()
      .min(1)
      .max(4000)
      .describe(
        'PromQL expression returning one or more series, e.g. service:requests_per_second{namespace="prod"}',
      ),
  })
  .refine(oneWindow, oneWindowMessage)
  .describe('Metric reference, read through the configured metrics backend');

/** An inline series with its labels (what it is), for the tools over many series. */
export const labelledSeriesInput = seriesInput.extend({
  labels: z
    .record(z.string().min(1).max(200), z.string().max(1000))
    .default({})
    .describe('What the series is, e.g. {"service":"cart"}'),
});

export const sourceFields = {
  series: seriesInput.optional(),
  metric: metricInput.optional(),
};

export interface LoadedSeries {
  readonly values: number[];
  readonly stepSeconds: number;
  readonly startMs: number;
  readonly source: 'inline' | 'metric';
  /** A metric's window as asked for, when history before it was read too (`warmupMinutes`). */
  readonly window?: { readonly startMs: number; readonly warmupMinutes: number };
}

/** Resolves exactly one of `series` / `metric` to values. */
export async function loadSeries(
  args: {
    series?: z.output<typeof seriesInput> | undefined;
    metric?: z.output<typeof metricInput> | undefined;
  },
  deps: ForecastingDeps,
  opts: { nowMs?: () => number; warmupMinutes?: number } = {},
): Promise<LoadedSeries> {
  const nowMs = opts.nowMs ?? Date.now;
  if ((args.series === undefined) === (args.metric === undefined)) {
    throw new InvalidArgumentError('give exactly one of `series` (inline values) or `metric` (a query)');
  }
  if (args.series) {
    const s = args.series;
    const startMs = s.start ? Date.parse(s.start) : nowMs() - (s.values.length - 1) * s.stepSeconds * 1000;
    return { values: s.values, stepSeconds: s.stepSeconds, startMs, source: 'inline' };
  }
  const m = args.metric as z.output<typeof metricInput>;
  const read = await readRange(
    m,
    deps,
    MAX_POINTS,
    opts.warmupMinutes !== undefined ? { warmupMinutes: opts.warmupMinutes } : {},
  );
  if (read.returned > 1) {
    throw new InvalidArgumentError(`the query returned ${read.returned} series; aggregate it to exactly one`);
  }
  const one = read.series[0] as LabelledSeries;
  return {
    values: one.values,
    stepSeconds: read.stepSeconds,
    startMs: one.startMs,
    source: 'metric',
    ...(opts.warmupMinutes !== undefined
      ? { window: { startMs: Date.parse(read.start), warmupMinutes: read.warmupMinutes } }
      : {}),
  };
}

export interface LabelledSeries {
  readonly labels: Record<string, string>;
  readonly values: number[];
  readonly startMs: number;
}

/**
 * Reads a metric reference's window: every series the query returns, each placed on the step grid
 * from its first to its last sample (gaps become NaN, which the engines treat as missing). Series
 * with fewer than `minSamples` samples are left out; no series at all is an error.
 */
export async function readRange(
  m: z.output<typeof metricInput> | z.output<typeof metricSetInput>,
  deps: ForecastingDeps,
  maxPointsPerSeries: number,
  opts: {
    /** Series with fewer samples are left out (the engines need 3; a watch takes what is new). */
    minSamples?: number;
    /** No data is an empty answer rather than an error (a watch reading its history in slices). */
    allowEmpty?: boolean;
    /**
     * Also read this much history before the window (to warm a detector up), as much of it as fits
     * in `maxPointsPerSeries` with the window.
     */
    warmupMinutes?: number;
  } = {},
): Promise<{
  series: LabelledSeries[];
  /** Series the query returned, before those with fewer than 3 samples were left out. */
  returned: number;
  stepSeconds: number;
  /** The window asked for (the series may start earlier, by the warm-up read). */
  start: string;
  end: string;
  /** History read before `start`. */
  warmupMinutes: number;
}> {
  if (!deps.metrics) throw new NotAvailableError('no metrics backend is configured; pass the series inline');
  // A relative window ends at the backend's own now: the sandbox clock, or wall time for Prometheus.
  const end = m.end ?? (await deps.metrics.now());
  const start = m.start ?? new Date(Date.parse(end) - (m.lookbackMinutes as number) * 60_000).toISOString();
  const span = (Date.parse(end) - Date.parse(start)) / 1000;
  if (span <= 0) throw new InvalidArgumentError('metric.end must be after metric.start');
  if (span / m.stepSeconds > maxPointsPerSeries)
    throw new InvalidArgumentError('too many points; raise stepSeconds');
  const minSamples = opts.minSamples ?? 3;
  // Whole steps of warm-up, as many as fit beside the window.
  const warmupSteps = Math.max(
    0,
    Math.min(
      Math.floor(((opts.warmupMinutes ?? 0) * 60) / m.stepSeconds),
      Math.floor(maxPointsPerSeries - span / m.stepSeconds),
    ),
  );
  const warmupMinutes = (warmupSteps * m.stepSeconds) / 60;
  const readStart = new Date(Date.parse(start) - warmupSteps * m.stepSeconds * 1000).toISOString();
  const result = await rangeQueryInChunks(deps.metrics, m.query, readStart, end, m.stepSeconds);
  if (result.length === 0 && opts.allowEmpty === true)
    return { series: [], returned: 0, stepSeconds: m.stepSeconds, start, end, warmupMinutes };
  if (result.length === 0) {
    throw new InvalidArgumentError(
      `the query returned no data between ${readStart} and ${end}; check the metric name and labels`,
    );
  }
  const stepMs = m.stepSeconds * 1000;
  const series: LabelledSeries[] = [];
  for (const r of result) {
    const points = r.points;
    if (points.length < minSamples) continue;
    const startMs = Date.parse(points[0]?.time ?? start);
    const n = Math.round((Date.parse(points[points.length - 1]?.time ?? end) - startMs) / stepMs) + 1;
    const values = new Array<number>(n).fill(Number.NaN);
    for (const p of points) {
      const i = Math.round((Date.parse(p.time) - startMs) / stepMs);
      if (i >= 0 && i < n) values[i] = p.value;
    }
    series.push({ labels: r.labels, values, startMs });
  }
  if (series.length === 0 && opts.allowEmpty !== true)
    throw new InvalidArgumentError(`the query returned fewer than ${minSamples} points`);
  return { series, returned: result.length, stepSeconds: m.stepSeconds, start, end, warmupMinutes };
}

/** Steps per range query: Prometheus refuses more than 11,000 points per series in one. */
const RANGE_CHUNK_STEPS = 10_000;

/**
 * A range query over a window of any length, as consecutive queries of at most `RANGE_CHUNK_STEPS`
 * steps on the same step grid, each series' points joined by its labels.
 */
async function rangeQueryInChunks(
  metrics: MetricsPort,
  query: string,
  start: string,
  end: string,
  stepSeconds: number,
): Promise<RangeSeries[]> {
  const stepMs = stepSeconds * 1000;
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  if ((endMs - startMs) / stepMs <= RANGE_CHUNK_STEPS)
    return metrics.rangeQuery(query, start, end, stepSeconds);
  const joined = new Map<string, RangeSeries>();
  for (let from = startMs; from <= endMs; from += (RANGE_CHUNK_STEPS + 1) * stepMs) {
    const to = Math.min(endMs, from + RANGE_CHUNK_STEPS * stepMs);
    const part = await metrics.rangeQuery(
      query,
      new Date(from).toISOString(),
      new Date(to).toISOString(),
      stepSeconds,
    );
    for (const r of part) {
      const key = labelKey(r.labels);
      const seen = joined.get(key);
      if (seen === undefined) joined.set(key, { labels: r.labels, points: [...r.points] });
      else seen.points.push(...r.points);
    }
  }
  return [...joined.values()];
}

/**
 * A series' labels as one stable string (the pairs sorted by name, JSON-encoded, so no two label sets
 * share one): for ordering and as a key.
 */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Runs an engine call, turning its validation errors into `invalid_argument`. */
export function engine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DevopsAiError) throw err;
    if (err instanceof z.ZodError) throw new InvalidArgumentError(z.prettifyError(err));
    if (err instanceof Error && 'code' in err) throw new InvalidArgumentError(err.message);
    if (err instanceof RangeError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/**
 * Seasonal periods (in steps) for daily and weekly cycles that fit the step and of which the
 * history holds more than one cycle; the forecaster then keeps those it has enough history to score.
 */
export function defaultSeasonalities(stepSeconds: number, length: number): number[] {
  const out: number[] = [];
  for (const periodSeconds of [86_400, 7 * 86_400]) {
    const p = Math.round(periodSeconds / stepSeconds);
    if (p >= 2 && p * stepSeconds === periodSeconds && length > p) out.push(p);
  }
  return out;
}
