/**
 * Holdout-selected ensemble forecaster: a pool of simple seasonal methods is scored on the last
 * `horizon` points of the history (fitted on what precedes them, at one or more origins); the best
 * few are refitted on the whole history and averaged. Nothing beyond the given history is used.
 */
import {
  adjustedSmoothing,
  holtWintersFixed,
  type Method,
  seasonalDrift,
  seasonalProfile,
} from './methods.js';

/** Weight of sMAPE (as a fraction) against scaled MAE in the holdout error. */
const SMAPE_WEIGHT = 10;

export interface Candidate {
  readonly name: string;
  readonly method: Method;
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
              needs: 2 * p2,
            });
    out.push({ name: `adj${p1}+${p2}`, method: adjustedSmoothing([p1, p2], 4, true, false), needs: 2 * p2 });
  }
  if (withLog) {
    for (const c of [...out])
      if (c.name.startsWith('hw') || c.name.startsWith('profile'))
        out.push({ ...c, name: `log-${c.name}`, log: true });
  }
  return out;
}

export interface EnsembleOptions {
  readonly horizon: number;
  readonly periods: readonly number[];
  /** Number of best candidates averaged. */
  readonly top?: number;
  /** Number of holdout origins (each `horizon` apart). */
  readonly origins?: number;
  readonly candidates?: readonly Candidate[];
}

export interface EnsembleResult {
  readonly forecast: Float64Array;
  /** Chosen members and their holdout errors (scaled MAE). */
  readonly members: ReadonlyArray<{ name: string; error: number }>;
  /** Scaled holdout errors per horizon step of the combined forecast (for intervals). */
  readonly holdoutResiduals: Float64Array[];
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

export function ensembleForecast(x: Float64Array, opts: EnsembleOptions): EnsembleResult {
  const h = opts.horizon;
  const top = opts.top ?? 9;
  const origins = opts.origins ?? 2;
  let positive = true;
  for (let i = 0; i < x.length; i++) if (!((x[i] ?? 0) > 0)) positive = false;
  const logX = positive ? x.map(Math.log) : x;
  const run = (c: Candidate, end: number): Float64Array => {
    if (c.log !== true) return c.method(x.subarray(0, end), h);
    const f = c.method(logX.subarray(0, end), h);
    for (let j = 0; j < f.length; j++) f[j] = Math.exp(f[j] ?? 0);
    return f;
  };
  const pool = (opts.candidates ?? defaultCandidates(opts.periods)).filter(
    (c) => c.needs <= x.length - h && (c.log !== true || positive),
  );
  const basePeriod = Math.min(...opts.periods.filter((p) => p > 1), x.length);
  const scale = scaleOf(x, basePeriod > 0 && basePeriod < x.length ? basePeriod : 1);
  const scored = pool.map((c) => {
    let err = 0;
    let used = 0;
    for (let o = 1; o <= origins; o++) {
      const cut = x.length - o * h;
      if (cut < c.needs) break;
      const f = run(c, cut);
      let e = 0;
      let s = 0;
      for (let j = 0; j < h; j++) {
        const a = x[cut + j] ?? 0;
        const v = f[j] ?? 0;
        e += Math.abs(a - v);
        const d = Math.abs(a) + Math.abs(v);
        s += d > 0 ? (2 * Math.abs(a - v)) / d : 0;
      }
      err += e / h / scale + SMAPE_WEIGHT * (s / h);
      used++;
    }
    return { c, error: used > 0 ? err / used : Number.POSITIVE_INFINITY };
  });
  scored.sort((a, b) => a.error - b.error);
  const chosen = scored.filter((s) => Number.isFinite(s.error)).slice(0, top);
  const forecast = new Float64Array(h);
  if (chosen.length === 0) {
    const last = x[x.length - 1] ?? 0;
    forecast.fill(last);
    return { forecast, members: [], holdoutResiduals: [] };
  }
  const fs = chosen.map((s) => run(s.c, x.length));
  const col = new Float64Array(fs.length);
  for (let j = 0; j < h; j++) {
    for (let k = 0; k < fs.length; k++) col[k] = fs[k]?.[j] ?? 0;
    col.sort();
    const m = col.length >> 1;
    forecast[j] = col.length % 2 ? (col[m] ?? 0) : 0.5 * ((col[m - 1] ?? 0) + (col[m] ?? 0));
  }
  return {
    forecast,
    members: chosen.map((s) => ({ name: s.c.name, error: s.error })),
    holdoutResiduals: [],
  };
}
