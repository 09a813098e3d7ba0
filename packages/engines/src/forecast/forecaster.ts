/**
 * Public forecaster: point forecast with prediction intervals for traffic and resource series.
 *
 * - Multiple seasonalities (e.g. daily 24 and weekly 168 on hourly data), each used only when the
 *   history holds two cycles of it plus the horizon, or one cycle plus three horizons (enough to
 *   score its seasonal naive on three holdout windows: two weeks of hourly data for a weekly cycle);
 *   on a shorter history, the shortest period the history holds twice, scored on a partial window.
 * - Robust history: missing values (NaN) and outages (runs of zeros in an otherwise positive series)
 *   are filled from the previous cycle; isolated outliers are clipped to a robust seasonal band.
 * - Holdout-selected ensemble of seasonal methods (seasonal naive, median and exponentially weighted
 *   profiles, Holt–Winters with one or two seasonal periods and damped trend, theta on the seasonally
 *   adjusted series; in raw or log space): each scored on five rolling `horizon`-long holdout windows
 *   of the history and the window one longest period back (same phase of the cycle as the horizon),
 *   the best five (those within 1.5× of the best's error) refitted on the whole history and averaged.
 * - Intervals from the combined forecast's own errors on those holdout windows, per horizon step
 *   (empirical quantile of absolute errors over neighbouring steps).
 */
import { z } from 'zod';
import { ensembleForecast } from './ensemble.js';

export const forecastOptionsSchema = z
  .object({
    horizon: z.number().int().min(1).max(10_000),
    /** Seasonal periods in points, e.g. [24, 168] for hourly data. Default: none (trend and level only). */
    seasonalities: z.array(z.number().int().min(2)).max(4).default([]),
    /** Central coverage of the prediction interval, e.g. 0.8 or 0.95. */
    level: z.number().gt(0).lt(1).default(0.9),
    /** Number of ensemble members combined. */
    members: z.number().int().min(1).max(50).default(5),
    /** Clean outliers and outages in the history before fitting. */
    clean: z.boolean().default(true),
  })
  .strict();

export type ForecastOptions = z.input<typeof forecastOptionsSchema>;

export interface ForecastResult {
  readonly mean: number[];
  readonly lower: number[];
  readonly upper: number[];
  readonly level: number;
  /** Seasonal periods actually used (those with enough history). */
  readonly seasonalities: number[];
  /** Ensemble members and their holdout errors. */
  readonly members: ReadonlyArray<{ name: string; error: number }>;
  /** Indices of history points replaced by the cleaning step. */
  readonly cleaned: number[];
}

export class ForecastError extends Error {
  override readonly name = 'ForecastError';
  constructor(
    readonly code: 'forecast_invalid_input' | 'forecast_too_short',
    message: string,
  ) {
    super(message);
  }
}

function median(v: number[]): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : 0.5 * ((s[m - 1] ?? 0) + (s[m] ?? 0));
}

/**
 * Fills missing values and outages and clips outliers. Returns the cleaned copy and the replaced indices.
 * Outage: a run of ≥ 3 zeros in a series whose median is positive. Outlier: further than 6 robust
 * deviations (MAD of the residual against the same phase in the previous cycles) from its phase median.
 */
export function cleanHistory(
  values: ArrayLike<number>,
  period: number,
): { values: Float64Array; cleaned: number[] } {
  const n = values.length;
  const x = Float64Array.from({ length: n }, (_, i) => values[i] ?? Number.NaN);
  const missing = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i] ?? Number.NaN)) missing[i] = 1;
  const med = median(Array.from(x));
  if (med > 0) {
    let i = 0;
    while (i < n) {
      if (x[i] === 0) {
        let j = i;
        while (j < n && x[j] === 0) j++;
        if (j - i >= 3) for (let k = i; k < j; k++) missing[k] = 1;
        i = j;
      } else i++;
    }
  }
  const p = period >= 2 && n >= 3 * period ? period : 0;
  // Outliers against the phase median of up to 4 previous cycles.
  if (p > 0) {
    const resid: number[] = [];
    const ref = new Float64Array(n).fill(Number.NaN);
    for (let i = p; i < n; i++) {
      const prev: number[] = [];
      for (let c = 1; c <= 4 && i - c * p >= 0; c++)
        if (!missing[i - c * p]) prev.push(x[i - c * p] ?? Number.NaN);
      if (prev.length >= 2 && !missing[i]) {
        ref[i] = median(prev);
        resid.push(Math.abs((x[i] ?? 0) - (ref[i] ?? 0)));
      }
    }
    const mad = Math.max(median(resid), 0.05 * Math.abs(med));
    if (mad > 0) {
      const out = new Uint8Array(n);
      for (let i = p; i < n; i++) {
        const r = ref[i] ?? Number.NaN;
        if (Number.isFinite(r) && Math.abs((x[i] ?? 0) - r) > 8 * 1.4826 * mad) out[i] = 1;
      }
      // Only short bursts (≤ 2 points) are outliers; longer runs are level changes the model must see.
      for (let i = 0; i < n; i++) {
        if (!out[i]) continue;
        let j = i;
        while (j < n && out[j]) j++;
        if (j - i <= 2) for (let k = i; k < j; k++) missing[k] = 1;
        i = j;
      }
    }
  }
  const cleaned: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!missing[i]) continue;
    cleaned.push(i);
    let v = Number.NaN;
    if (p > 0)
      for (let c = 1; c * p <= i && Number.isNaN(v); c++)
        if (!missing[i - c * p]) v = x[i - c * p] ?? Number.NaN;
    if (Number.isNaN(v)) {
      // nearest valid neighbours, linear interpolation
      let a = i - 1;
      while (a >= 0 && missing[a]) a--;
      let b = i + 1;
      while (b < n && missing[b]) b++;
      const va = a >= 0 ? (x[a] ?? Number.NaN) : Number.NaN;
      const vb = b < n ? (x[b] ?? Number.NaN) : Number.NaN;
      v =
        Number.isFinite(va) && Number.isFinite(vb)
          ? va + ((vb - va) * (i - a)) / (b - a)
          : Number.isFinite(va)
            ? va
            : vb;
    }
    x[i] = Number.isFinite(v) ? v : 0;
  }
  return { values: x, cleaned };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

/** Forecasts `horizon` steps after the last point of `series` (oldest first). */
export function forecast(series: ArrayLike<number>, options: ForecastOptions): ForecastResult {
  const opts = forecastOptionsSchema.parse(options);
  const n = series.length;
  if (n < 3) throw new ForecastError('forecast_too_short', `need at least 3 points, got ${n}`);
  const h = opts.horizon;
  const candidates = [...new Set(opts.seasonalities)].sort((a, b) => a - b);
  let seasonalities = candidates.filter((p) => n >= 2 * p + h || n >= p + 3 * h);
  // A short history (a new service) still shows a cycle it holds twice: scored on the part of one
  // holdout window it has, against level and trend methods (see ensembleForecast).
  if (seasonalities.length === 0) seasonalities = candidates.filter((p) => n >= 2 * p).slice(0, 1);
  const base = seasonalities[0] ?? 0;
  const longest = [...seasonalities].reverse().find((p) => n >= 3 * p) ?? base;
  const { values, cleaned } = opts.clean
    ? cleanHistory(series, longest)
    : { values: Float64Array.from({ length: n }, (_, i) => series[i] ?? 0), cleaned: [] };
  const periods = seasonalities.length > 0 ? seasonalities : [1];
  const result = ensembleForecast(values, { horizon: h, periods, top: opts.members });
  // Interval: errors of the combined forecast on the rolling holdout windows, per horizon step.
  const errs: number[][] = Array.from({ length: h }, (_, j) =>
    result.holdoutResiduals.map((r) => r[j] ?? Number.NaN).filter((e) => !Number.isNaN(e)),
  );
  const halfWidth = new Float64Array(h);
  const band = Math.max(1, Math.round(h / 8));
  // Steps with holdout errors: all of them, or the first ones of a short history's partial window.
  let scoredSteps = 0;
  while (scoredSteps < h && (errs[scoredSteps]?.length ?? 0) > 0) scoredSteps++;
  // A partial window has one error per step: pool all of its steps (more samples; its steps are
  // all near the start of the horizon anyway) instead of the neighbouring ones.
  const partial = scoredSteps > 0 && scoredSteps < h;
  for (let j = 0; j < h; j++) {
    if (partial && j >= scoredSteps) {
      // Past the partial window: its last width, growing like a random walk's.
      halfWidth[j] = (halfWidth[scoredSteps - 1] ?? 0) * Math.sqrt((j + 1) / scoredSteps);
      continue;
    }
    const pool: number[] = [];
    const from = partial ? 0 : Math.max(0, j - band);
    const to = partial ? scoredSteps - 1 : Math.min(h - 1, j + band);
    for (let k = from; k <= to; k++) pool.push(...(errs[k] ?? []));
    // Few holdout errors under-cover: take a quantile halfway between the level and 1.
    halfWidth[j] = quantile(Float64Array.from(pool).sort(), opts.level + 0.5 * (1 - opts.level));
  }
  const mean = Array.from(result.forecast);
  const nonNegative = Array.from(values).every((v) => v >= 0);
  return {
    mean: nonNegative ? mean.map((v) => Math.max(0, v)) : mean,
    lower: mean.map((v, j) => (nonNegative ? Math.max(0, v - (halfWidth[j] ?? 0)) : v - (halfWidth[j] ?? 0))),
    upper: mean.map((v, j) => v + (halfWidth[j] ?? 0)),
    level: opts.level,
    seasonalities,
    members: result.members,
    cleaned,
  };
}
