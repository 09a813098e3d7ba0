/**
 * Holdout-selected ensemble forecaster: a pool of simple seasonal methods is scored on the last
 * `horizon` points of the history (fitted on what precedes them, at one or more origins); the best
 * few are refitted on the whole history and averaged. Nothing beyond the given history is used.
 */
import {
  adjustedSmoothing,
  dampedHolt,
  holtWintersFixed,
  holtWintersFixedCuts,
  type Method,
  type MultiOriginMethod,
  seasonalAr,
  seasonalArCuts,
  seasonalDrift,
  seasonalProfile,
  seasonalTheta,
  weightedProfile,
} from './methods.js';

/** Weight of sMAPE (as a fraction) against scaled MAE in the holdout error. */
const SMAPE_WEIGHT = 10;

export interface Candidate {
  readonly name: string;
  readonly method: Method;
  /** Optional one-pass version of `method` for several origins. */
  readonly multi?: MultiOriginMethod;
  /** Longest seasonal period the candidate needs (it is skipped on shorter histories). */
  readonly needs: number;
  /** Fitted on log values (multiplicative structure); only used when every value is positive. */
  readonly log?: boolean;
}

/** Forecasts in log space (multiplicative structure); falls back to the raw method when a value is ≤ 0. */
export function inLogSpace(method: Method): Method {
  return (x, horizon) => {
    for (let i = 0; i < x.length; i++) if (!((x[i] ?? 0) > 0)) return method(x, horizon);
    const f = method(Float64Array.from(x, Math.log), horizon);
    return Float64Array.from(f, Math.exp);
  };
}

export function defaultCandidates(periods: readonly number[], withLog = true): Candidate[] {
  const out: Candidate[] = [];
  const sorted = [...new Set(periods)].filter((p) => p > 1).sort((a, b) => a - b);
  for (const p of sorted) {
    out.push({ name: `snaive${p}`, method: seasonalProfile(p, 1, 0), needs: p });
    for (const k of [2, 3, 4]) {
      out.push({ name: `profile${p}x${k}`, method: seasonalProfile(p, k, 0), needs: k * p });
      out.push({
        name: `profile${p}x${k}L`,
        method: seasonalProfile(p, k, Math.min(p, 24)),
        needs: k * p + 24,
      });
    }
    out.push({ name: `drift${p}`, method: seasonalDrift(p), needs: 2 * p });
    for (const alpha of [0.02, 0.1, 0.3])
      for (const gamma of [0.05, 0.2, 0.5])
        for (const beta of [0, 0.05])
          out.push({
            name: `hw${p}a${alpha}g${gamma}b${beta}`,
            method: holtWintersFixed([p], { alpha, beta, phi: beta > 0 ? 0.95 : 0, gammas: [gamma] }),
            multi: holtWintersFixedCuts([p], { alpha, beta, phi: beta > 0 ? 0.95 : 0, gammas: [gamma] }),
            needs: 2 * p,
          });
  }
  if (sorted.length >= 2) {
    const [p1, p2] = sorted as [number, number];
    for (const alpha of [0.02, 0.1, 0.3])
      for (const g1 of [0.05, 0.2])
        for (const g2 of [0.05, 0.2])
          for (const beta of [0])
            out.push({
              name: `hw${p1}+${p2}a${alpha}g${g1},${g2}b${beta}`,
              method: holtWintersFixed([p1, p2], { alpha, beta, phi: beta > 0 ? 0.9 : 0, gammas: [g1, g2] }),
              multi: holtWintersFixedCuts([p1, p2], {
                alpha,
                beta,
                phi: beta > 0 ? 0.9 : 0,
                gammas: [g1, g2],
              }),
              needs: 2 * p2,
            });
    out.push({ name: `adj${p1}+${p2}`, method: adjustedSmoothing([p1, p2], 4, true, false), needs: 2 * p2 });
  }
  if (sorted.length === 0) {
    // No seasonal period fits the history (for example less than two days of a daily cycle): level
    // and trend methods only, so the holdout windows still choose and the intervals still have errors.
    out.push({ name: 'naive', method: (y, h) => new Float64Array(h).fill(y[y.length - 1] ?? 0), needs: 1 });
    out.push({ name: 'ses', method: (y, h) => dampedHolt(y, h, false), needs: 12 });
    out.push({ name: 'holt', method: (y, h) => dampedHolt(y, h, true), needs: 24 });
  }
  if (withLog) {
    for (const c of [...out])
      if (c.name.startsWith('hw') || c.name.startsWith('profile') || c.name === 'ses' || c.name === 'holt')
        out.push({ ...c, name: `log-${c.name}`, log: true });
    // Holt–Winters on the longer period only in log space: the additive raw-scale versions were
    // (almost) never among the best on M4 Hourly holdouts and cost a third of the Holt–Winters time.
    const longest = sorted[sorted.length - 1];
    if (sorted.length >= 2 && longest !== undefined)
      return out.filter(
        (c) => c.log === true || !(c.name.startsWith(`hw${longest}`) || c.name.includes(`+${longest}a`)),
      );
  }
  return out;
}

/** Square-root space (between raw and log): forecasts of √x squared; raw values when any is negative. */
export function inSqrtSpace(
  method: Method,
  multi?: MultiOriginMethod,
): { method: Method; multi?: MultiOriginMethod } {
  const ok = (x: Float64Array) => x.every((v) => v >= 0);
  const sq = (f: Float64Array) => f.map((v) => (v > 0 ? v * v : 0));
  return {
    method: (x, h) => (ok(x) ? sq(method(x.map(Math.sqrt), h)) : method(x, h)),
    ...(multi
      ? {
          multi: (x: Float64Array, h: number, cuts: readonly number[]) =>
            ok(x) ? multi(x.map(Math.sqrt), h, cuts).map(sq) : multi(x, h, cuts),
        }
      : {}),
  };
}

/**
 * Seasonal autoregressions (in square-root space), seasonal theta and exponentially weighted profiles
 * (raw and log), added to the default pool.
 */
export function extraCandidates(periods: readonly number[]): Candidate[] {
  const out: Candidate[] = [];
  const sorted = [...new Set(periods)].filter((p) => p > 1).sort((a, b) => a - b);
  const long = sorted[sorted.length - 1];
  const short = sorted[0];
  if (long === undefined || short === undefined) return out;
  // Seasonal autoregressions: short lags, the daily lags around `short` and its multiples, the
  // weekly lags around `long` (and two weeks back in the last set).
  const arLags: number[][] = [[1, 2, 3, short - 1, short, short + 1, 2 * short]];
  if (long !== short)
    arLags.splice(
      0,
      1,
      [1, 2, 3, short - 1, short, short + 1, 2 * short, long - 1, long, long + 1],
      [1, 2, 3, 4, 5, 6, short - 1, short, short + 1, 2 * short, 3 * short, long - 1, long, long + 1],
      [1, 2, 3, short - 1, short, short + 1, 2 * short, long - 1, long, long + 1, 2 * long],
    );
  // In square-root space only (Box–Cox λ = ½): on M4 Hourly holdouts it did as well as raw and log
  // together with half the candidates, and every redundant candidate adds selection noise.
  arLags.forEach((lags, li) => {
    for (const window of [336, 672])
      for (const diff of long !== short ? [0, short, long] : [0, short])
        out.push({
          name: `sqrt-ar${li}w${window}d${diff}`,
          ...inSqrtSpace(seasonalAr(lags, window, diff), seasonalArCuts(lags, window, diff)),
          needs: Math.max(...lags) + diff + 4 * lags.length + 4,
        });
  });
  for (const window of [168, 336, 672])
    for (const ps of long !== short ? [[short], [short, long]] : [[short]])
      out.push({
        name: `theta${ps.join('+')}w${window}`,
        method: seasonalTheta(ps, window, true),
        needs: Math.max(window, 3 * Math.max(...ps)),
      });
  for (const p of sorted)
    for (const cycles of [4, 8])
      for (const lambda of [0.5, 0.8])
        for (const lw of [0, 24]) {
          const c: Candidate = {
            name: `wprof${p}x${cycles}l${lambda}L${lw}`,
            method: weightedProfile(p, cycles, lambda, lw),
            needs: Math.min(cycles, 2) * p + lw,
          };
          out.push(c, { ...c, name: `log-${c.name}`, log: true });
        }
  return out;
}

export interface EnsembleOptions {
  readonly horizon: number;
  readonly periods: readonly number[];
  /** Number of best candidates combined. */
  readonly top?: number;
  /** Number of rolling holdout origins (each `horizon` apart, the latest ending at the last point). */
  readonly origins?: number;
  /** How the chosen candidates are combined per step. */
  readonly combine?: 'mean' | 'median';
  readonly candidates?: readonly Candidate[];
}

export interface EnsembleResult {
  readonly forecast: Float64Array;
  /** Chosen members and their holdout errors (scaled MAE + weighted sMAPE). */
  readonly members: ReadonlyArray<{ name: string; error: number }>;
  /**
   * Absolute errors of the procedure on each holdout window (one array of `horizon` per origin,
   * latest first), with the members chosen on the other origins (leave one origin out); used for
   * prediction intervals (in-selection errors when there is only one origin). NaN for the steps of a
   * short history's partial window that fall after its end.
   */
  readonly holdoutResiduals: Float64Array[];
}

/**
 * Members are combined only if their holdout error is within this factor of the best one's (1.25
 * or more leaves M4 Hourly unchanged; it keeps a clearly better weekly naive on its own).
 */
const MEMBER_RATIO = 1.5;

/** The leading entries of a list ranked by error that are within MEMBER_RATIO of the first. */
function withinRatio<T>(ranked: T[], error: (t: T) => number): T[] {
  const best = ranked[0] === undefined ? 0 : error(ranked[0]);
  return ranked.filter((s) => error(s) <= MEMBER_RATIO * best + 1e-12);
}

function scaleOf(x: Float64Array, period: number): number {
  let s = 0;
  let c = 0;
  for (let i = period; i < x.length; i++) {
    s += Math.abs((x[i] ?? 0) - (x[i - period] ?? 0));
    c++;
  }
  const v = c > 0 ? s / c : 0;
  return v > 0 ? v : 1;
}

function combineColumn(col: number[], how: 'mean' | 'median'): number {
  if (how === 'mean') return col.reduce((a, b) => a + b, 0) / col.length;
  col.sort((a, b) => a - b);
  const m = col.length >> 1;
  return col.length % 2 ? (col[m] ?? 0) : 0.5 * ((col[m - 1] ?? 0) + (col[m] ?? 0));
}

/**
 * Scores every candidate on `origins` rolling holdout windows of the history (each fitted only on
 * what precedes its window), keeps the `top` with the lowest mean error (scaled MAE plus weighted
 * sMAPE) and combines their forecasts from the whole history. Candidates that cannot be scored on
 * every usable origin (too long a history needed) are left out, so all are compared on equal terms.
 */
export function ensembleForecast(x: Float64Array, opts: EnsembleOptions): EnsembleResult {
  const h = opts.horizon;
  const top = opts.top ?? 5;
  const how = opts.combine ?? 'mean';
  const n = x.length;
  let positive = true;
  for (let i = 0; i < n; i++) if (!((x[i] ?? 0) > 0)) positive = false;
  const logX = positive ? x.map(Math.log) : x;
  const run = (c: Candidate, end: number): Float64Array => {
    if (c.log !== true) return c.method(x.subarray(0, end), h);
    const f = c.method(logX.subarray(0, end), h);
    for (let j = 0; j < f.length; j++) f[j] = Math.exp(f[j] ?? 0);
    return f;
  };
  const allowed = (
    opts.candidates ?? [...defaultCandidates(opts.periods), ...extraCandidates(opts.periods)]
  ).filter((c) => c.log !== true || positive);
  const basePeriod = Math.min(...opts.periods.filter((p) => p > 1), n);
  const scale = scaleOf(x, basePeriod > 0 && basePeriod < n ? basePeriod : 1);
  // Origins usable by the simplest candidates; candidates must fit the earliest of them.
  const minNeeds = Math.min(...allowed.map((c) => c.needs), n);
  let origins = Math.max(0, Math.min(opts.origins ?? 5, Math.floor((n - Math.max(minNeeds, 2)) / h)));
  // When that many origins would leave out even the longest period's seasonal naive (two weeks of
  // hourly history: no weekly method could be scored), use fewer origins, down to three, so the
  // weekly methods compete: a weekend forecast from daily methods alone is a weekday.
  const longest = Math.max(1, ...opts.periods);
  if (longest > 1 && n - origins * h < longest) {
    const fit = Math.floor((n - longest) / h);
    if (fit >= 3) origins = Math.min(origins, fit);
  }
  // Latest first; plus the window one longest period back (the same hours of last week as the
  // horizon's), when it is not already one of them, so the methods are also scored on the part of
  // the cycle they are about to forecast.
  const cuts = Array.from({ length: origins }, (_, k) => n - (k + 1) * h);
  let pooled = allowed;
  if (origins === 0) {
    // A short history (a new service: two days of hourly data for a two-day horizon) holds no full
    // horizon-long holdout window. Score on the part of one window it holds: after one cycle of the
    // shortest period (so its seasonal naive competes) or, without one, after half the history, on
    // the steps the history has. Level and trend methods compete with the seasonal ones there, so a
    // series that two cycles cannot show to be seasonal is not forced into a seasonal method.
    const start = basePeriod > 1 && basePeriod < n ? basePeriod : Math.max(minNeeds, Math.ceil(n / 2));
    if (n - start >= 2) {
      cuts.push(start);
      if (basePeriod > 1)
        pooled = [...allowed, ...defaultCandidates([1]).filter((c) => c.log !== true || positive)];
    }
  }
  const earliest = Math.min(n, ...cuts);
  const pool = pooled.filter((c) => c.needs <= earliest);
  if (origins > 0 && longest > h && n - longest >= earliest && !cuts.includes(n - longest))
    cuts.push(n - longest);
  const runCuts = (c: Candidate): Float64Array[] => {
    if (c.multi === undefined) return cuts.map((cut) => run(c, cut));
    const fs = c.multi(c.log === true ? logX : x, h, cuts);
    if (c.log === true) for (const f of fs) for (let j = 0; j < f.length; j++) f[j] = Math.exp(f[j] ?? 0);
    return fs;
  };
  const scored = pool.map((c) => {
    let err = 0;
    const perOrigin: number[] = [];
    const holdout = runCuts(c);
    for (let o = 1; o <= cuts.length; o++) {
      const cut = cuts[o - 1] ?? 0;
      const f = holdout[o - 1] ?? new Float64Array(h);
      // Every step of the window, or those the history holds (a short history's partial window).
      const len = Math.min(h, n - cut);
      let e = 0;
      let s = 0;
      for (let j = 0; j < len; j++) {
        const a = x[cut + j] ?? 0;
        const v = f[j] ?? 0;
        e += Math.abs(a - v);
        const d = Math.abs(a) + Math.abs(v);
        s += d > 0 ? (2 * Math.abs(a - v)) / d : 0;
      }
      const eo = e / len / scale + SMAPE_WEIGHT * (s / len);
      perOrigin.push(eo);
      err += eo;
    }
    return { c, holdout, perOrigin, error: cuts.length > 0 ? err / cuts.length : 0 };
  });
  scored.sort((a, b) => a.error - b.error);
  // The best `top`, but only those within MEMBER_RATIO of the best error: averaging in members
  // that did much worse on the holdouts only dilutes a clear winner.
  const chosen = withinRatio(
    scored.filter((s) => Number.isFinite(s.error)).slice(0, cuts.length > 0 ? top : 1),
    (s) => s.error,
  );
  const forecast = new Float64Array(h);
  if (chosen.length === 0) {
    forecast.fill(x[n - 1] ?? 0);
    return { forecast, members: [], holdoutResiduals: [] };
  }
  const fs = chosen.map((s) => run(s.c, n));
  for (let j = 0; j < h; j++)
    forecast[j] = combineColumn(
      fs.map((f) => f[j] ?? 0),
      how,
    );
  // Interval errors by leave-one-origin-out: the members are chosen on the other origins, so the
  // error on the left-out window is not flattered by the selection.
  const holdoutResiduals: Float64Array[] = [];
  for (let o = 1; o <= cuts.length; o++) {
    const cut = cuts[o - 1] ?? 0;
    // With a single origin there is nothing to leave out: its (optimistic) in-selection errors.
    const others = withinRatio(
      scored
        .map((sc) => ({
          sc,
          e: cuts.length >= 2 ? sc.error * cuts.length - (sc.perOrigin[o - 1] ?? 0) : sc.error,
        }))
        .filter((v) => Number.isFinite(v.e))
        .sort((a, b) => a.e - b.e)
        .slice(0, top),
      (v) => v.e,
    );
    // NaN past the end of the history (a short history's partial window).
    const r = new Float64Array(h).fill(Number.NaN);
    for (let j = 0; j < Math.min(h, n - cut); j++)
      r[j] = Math.abs(
        (x[cut + j] ?? 0) -
          combineColumn(
            others.map((v) => v.sc.holdout[o - 1]?.[j] ?? 0),
            how,
          ),
      );
    holdoutResiduals.push(r);
  }
  return {
    forecast,
    members: chosen.map((s) => ({ name: s.c.name, error: s.error })),
    holdoutResiduals,
  };
}
