/**
 * Simple, robust forecasting methods used as members of the forecasting ensemble. Every method maps
 * a history (oldest first) to `horizon` point forecasts and never looks past the history.
 */

export type Method = (x: Float64Array, horizon: number) => Float64Array;

/**
 * Forecasts from several origins of one history at once: element k is what the method would
 * forecast from `x.subarray(0, cuts[k])`. Lets recursive methods make one pass instead of one per origin.
 */
export type MultiOriginMethod = (x: Float64Array, horizon: number, cuts: readonly number[]) => Float64Array[];

function mean(x: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  let c = 0;
  for (let i = Math.max(0, from); i < Math.min(x.length, to); i++) {
    const v = x[i] ?? Number.NaN;
    if (Number.isFinite(v)) {
      s += v;
      c++;
    }
  }
  return c > 0 ? s / c : Number.NaN;
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 ? (v[m] ?? 0) : 0.5 * ((v[m - 1] ?? 0) + (v[m] ?? 0));
}

/**
 * Seasonal profile: for each future step, a robust average (median for ≥ 3 cycles, else mean) of the
 * same phase over the last `cycles` periods, shifted by the difference between the level of the last
 * `levelWindow` points and the level of the same phases in those cycles (additive level adjustment),
 * the shift decaying by `shiftDecay` per step ahead (1: kept in full).
 */
export function seasonalProfile(
  period: number,
  cycles: number,
  levelWindow = 24,
  robust = true,
  shiftDecay = 1,
): Method {
  return (x, horizon) => {
    const n = x.length;
    const k = Math.max(1, Math.min(cycles, Math.floor(n / period)));
    const out = new Float64Array(horizon);
    // Level shift: recent window against the same window `c` cycles earlier, averaged.
    let shift = 0;
    if (levelWindow > 0) {
      const recent = mean(x, n - levelWindow, n);
      const past: number[] = [];
      for (let c = 1; c <= k; c++) past.push(mean(x, n - levelWindow - c * period, n - c * period));
      const p = robust && past.length >= 3 ? median(past) : past.reduce((a, b) => a + b, 0) / past.length;
      if (Number.isFinite(recent) && Number.isFinite(p)) shift = recent - p;
    }
    for (let h = 0; h < horizon; h++) {
      const vals: number[] = [];
      for (let c = 1; c <= k; c++) {
        // position n + h − c·period, stepping back whole periods until inside the history
        let i = n + h - c * period;
        while (i >= n) i -= period;
        if (i >= 0) vals.push(x[i] ?? Number.NaN);
      }
      const base = robust && vals.length >= 3 ? median(vals) : vals.reduce((a, b) => a + b, 0) / vals.length;
      out[h] = base + shift * shiftDecay ** (h + 1);
    }
    return out;
  };
}

/**
 * Multiplicative (or additive) seasonal indices by phase over the last `cycles` periods, relative to a
 * centred moving average of one period, estimated robustly (median of ratios).
 */
export function seasonalIndices(
  x: Float64Array,
  period: number,
  cycles: number,
  multiplicative: boolean,
): Float64Array {
  const n = x.length;
  const half = Math.floor(period / 2);
  const even = period % 2 === 0;
  const byPhase: number[][] = Array.from({ length: period }, () => []);
  const start = Math.max(half, n - cycles * period - half);
  // centred moving average from prefix sums
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] ?? 0) + (x[i] ?? 0);
  for (let i = start; i < n - half; i++) {
    const s = even
      ? 0.5 * ((x[i - half] ?? 0) + (x[i + half] ?? 0)) +
        (prefix[i + half] ?? 0) -
        (prefix[i - half + 1] ?? 0)
      : (prefix[i + half + 1] ?? 0) - (prefix[i - half] ?? 0);
    const ma = s / period;
    const v = x[i] ?? 0;
    if (multiplicative) {
      if (ma > 0 && v > 0) byPhase[i % period]?.push(v / ma);
    } else byPhase[i % period]?.push(v - ma);
  }
  const idx = new Float64Array(period);
  for (let p = 0; p < period; p++) {
    const m = median(byPhase[p] ?? []);
    idx[p] = Number.isFinite(m) ? m : multiplicative ? 1 : 0;
  }
  // normalise
  let s = 0;
  for (let p = 0; p < period; p++) s += idx[p] ?? 0;
  const norm = s / period;
  for (let p = 0; p < period; p++)
    idx[p] = multiplicative ? (idx[p] ?? 1) / (norm || 1) : (idx[p] ?? 0) - norm;
  return idx;
}

/** Damped-trend exponential smoothing (additive, Gardner–McKenzie) with parameters chosen by in-sample SSE on a grid. */
export function dampedHolt(y: Float64Array, horizon: number, trend: boolean): Float64Array {
  const alphas = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];
  const betas = trend ? [0.01, 0.05, 0.15] : [0];
  const phis = trend ? [0.8, 0.9, 0.98] : [0];
  const n = y.length;
  let best = { sse: Number.POSITIVE_INFINITY, a: 0.5, b: 0, phi: 0, l: y[0] ?? 0, t: 0 };
  for (const a of alphas) {
    for (const b of betas) {
      for (const phi of phis) {
        let l = y[0] ?? 0;
        let t = trend ? ((y[Math.min(n - 1, 24)] ?? 0) - (y[0] ?? 0)) / Math.min(n - 1, 24) || 0 : 0;
        let sse = 0;
        for (let i = 1; i < n; i++) {
          const f = l + phi * t;
          const e = (y[i] ?? 0) - f;
          sse += e * e;
          const nl = f + a * e;
          t = phi * t + a * b * e;
          l = nl;
        }
        if (sse < best.sse) best = { sse, a, b, phi, l, t };
      }
    }
  }
  const out = new Float64Array(horizon);
  let damp = 0;
  let pw = 1;
  for (let h = 0; h < horizon; h++) {
    pw *= best.phi;
    damp += pw;
    out[h] = best.l + damp * best.t;
  }
  return out;
}

/**
 * Seasonally adjusted exponential smoothing: remove seasonal indices (one or two periods, e.g. daily
 * then weekly), forecast the adjusted series with (damped) exponential smoothing, put seasonality back.
 */
export function adjustedSmoothing(
  periods: readonly number[],
  cycles: number,
  multiplicative: boolean,
  trend: boolean,
): Method {
  return (x, horizon) => {
    const n = x.length;
    let adj = Float64Array.from(x);
    const layers: Float64Array[] = [];
    const mult = multiplicative && x.every((v) => v > 0);
    for (const p of periods) {
      if (n < 2 * p) {
        layers.push(new Float64Array(p).fill(mult ? 1 : 0));
        continue;
      }
      const idx = seasonalIndices(adj, p, cycles, mult);
      layers.push(idx);
      adj = Float64Array.from(adj, (v, i) => (mult ? v / (idx[i % p] ?? 1) : v - (idx[i % p] ?? 0)));
    }
    const f = dampedHolt(adj.subarray(Math.max(0, n - cycles * Math.max(...periods))), horizon, trend);
    return Float64Array.from(f, (v, h) => {
      let out = v;
      periods.forEach((p, k) => {
        const idx = layers[k];
        const s = idx?.[(n + h) % p] ?? (mult ? 1 : 0);
        out = mult ? out * s : out + s;
      });
      return out;
    });
  };
}

export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly phi: number;
  readonly gammas: readonly number[];
}

/**
 * Additive (double) seasonal Holt–Winters with damped trend (Taylor 2003 for two seasonal periods).
 * Runs the recursions and returns the one-step SSE and the final state's forecast.
 */
export function runHoltWinters(
  y: Float64Array,
  periods: readonly number[],
  p: HoltWintersParams,
  horizon: number,
): { sse: number; forecast: Float64Array } {
  const r = runHoltWintersCuts(y, periods, p, horizon, [y.length]);
  return { sse: r.sse, forecast: r.forecasts[0] ?? new Float64Array(horizon) };
}

/**
 * One pass of the Holt–Winters recursions over `y`, returning the forecast made from the state at
 * each of `cuts` (as if the history ended there; every cut ≥ 2 × the longest period, so the initial
 * state is the same for all), in the order given. The SSE is that of the full pass.
 */
export function runHoltWintersCuts(
  y: Float64Array,
  periods: readonly number[],
  p: HoltWintersParams,
  horizon: number,
  cuts: readonly number[],
): { sse: number; forecasts: Float64Array[] } {
  const maxP = Math.max(...periods);
  const stop = Math.max(...cuts);
  // Initial state: level = mean of the first max period, seasonals from the first cycles.
  let level = 0;
  for (let i = 0; i < maxP; i++) level += y[i] ?? 0;
  level /= maxP;
  let trend = 0;
  if (stop >= 2 * maxP) {
    let l2 = 0;
    for (let i = maxP; i < 2 * maxP; i++) l2 += y[i] ?? 0;
    trend = (l2 / maxP - level) / maxP;
  }
  const seasons = periods.map((per) => new Float64Array(per));
  // first period: deviations from level, smaller period first, larger on the remainder
  const rem = Float64Array.from({ length: maxP }, (_, i) => (y[i] ?? 0) - level);
  periods.forEach((per, k) => {
    const s = seasons[k] as Float64Array;
    const cnt = new Float64Array(per);
    for (let i = 0; i < maxP; i++) {
      s[i % per] = (s[i % per] ?? 0) + (rem[i] ?? 0);
      cnt[i % per] = (cnt[i % per] ?? 0) + 1;
    }
    for (let j = 0; j < per; j++) s[j] = (s[j] ?? 0) / Math.max(1, cnt[j] ?? 1);
    for (let i = 0; i < maxP; i++) rem[i] = (rem[i] ?? 0) - (s[i % per] ?? 0);
  });
  const forecasts: Float64Array[] = cuts.map(() => new Float64Array(horizon));
  const emit = (n: number) => {
    cuts.forEach((c, k) => {
      if (c !== n) return;
      const out = forecasts[k] as Float64Array;
      let damp = 0;
      let pw = 1;
      for (let h = 0; h < horizon; h++) {
        pw *= p.phi;
        damp += pw;
        let seas = 0;
        for (let q = 0; q < periods.length; q++) seas += seasons[q]?.[(n + h) % (periods[q] ?? 1)] ?? 0;
        out[h] = level + damp * trend + seas;
      }
    });
  };
  let sse = 0;
  for (let t = 0; t < stop; t++) {
    emit(t);
    let seas = 0;
    for (let k = 0; k < periods.length; k++) seas += seasons[k]?.[t % (periods[k] ?? 1)] ?? 0;
    const f = level + p.phi * trend + seas;
    const e = (y[t] ?? 0) - f;
    if (t >= maxP) sse += e * e;
    const newLevel = level + p.phi * trend + p.alpha * e;
    trend = p.phi * trend + p.beta * p.alpha * e;
    level = newLevel;
    for (let k = 0; k < periods.length; k++) {
      const s = seasons[k] as Float64Array;
      const j = t % (periods[k] ?? 1);
      s[j] = (s[j] ?? 0) + (p.gammas[k] ?? 0) * e;
    }
  }
  emit(stop);
  return { sse, forecasts };
}

/** Holt–Winters (additive, damped, one or two seasonal periods) with parameters chosen on a small grid by one-step SSE. */
export function holtWinters(periods: readonly number[], trend = true): Method {
  const alphas = [0.05, 0.2, 0.5, 0.8];
  const betas = trend ? [0.02, 0.1] : [0];
  const phis = trend ? [0.9, 0.98] : [0];
  const gammaGrid = [0.05, 0.2, 0.5];
  return (x, horizon) => {
    const ps = periods.filter((p) => x.length >= 2 * p);
    if (ps.length === 0) return dampedHolt(x, horizon, trend);
    let best: { sse: number; forecast: Float64Array } | undefined;
    const gammaSets: number[][] =
      ps.length === 1
        ? gammaGrid.map((g) => [g])
        : gammaGrid.flatMap((g1) => gammaGrid.map((g2) => [g1, g2]));
    for (const alpha of alphas)
      for (const beta of betas)
        for (const phi of phis)
          for (const gammas of gammaSets) {
            const r = runHoltWinters(x, ps, { alpha, beta, phi, gammas }, horizon);
            const sse = Number.isFinite(r.sse) ? r.sse : Number.POSITIVE_INFINITY;
            if (best === undefined || sse < best.sse) best = { sse, forecast: r.forecast };
          }
    return best?.forecast ?? new Float64Array(horizon);
  };
}

/** Holt–Winters with fixed parameters (chosen by the ensemble on a holdout, not on one-step errors). */
export function holtWintersFixed(periods: readonly number[], params: HoltWintersParams): Method {
  return (x, horizon) => {
    const ps = periods.filter((p) => x.length >= 2 * p);
    if (ps.length === 0) return dampedHolt(x, horizon, params.beta > 0);
    const gammas = periods
      .map((p, k) => (x.length >= 2 * p ? (params.gammas[k] ?? 0) : -1))
      .filter((g) => g >= 0);
    return runHoltWinters(x, ps, { ...params, gammas }, horizon).forecast;
  };
}

/** `holtWintersFixed` for several origins in one pass (same result as calling it per origin). */
export function holtWintersFixedCuts(
  periods: readonly number[],
  params: HoltWintersParams,
): MultiOriginMethod {
  return (x, horizon, cuts) => {
    const shortest = Math.min(...cuts);
    const ps = periods.filter((p) => shortest >= 2 * p);
    const gammas = periods
      .map((p, k) => (shortest >= 2 * p ? (params.gammas[k] ?? 0) : -1))
      .filter((g) => g >= 0);
    // Only one pass when every origin sees the same periods; otherwise fall back to one call each.
    if (ps.length === 0 || periods.some((p) => shortest < 2 * p && Math.max(...cuts) >= 2 * p)) {
      const single = holtWintersFixed(periods, params);
      return cuts.map((c) => single(x.subarray(0, c), horizon));
    }
    return runHoltWintersCuts(x, ps, { ...params, gammas }, horizon, cuts).forecasts;
  };
}

/** Seasonal naive plus the recent change of the periodic mean, damped per period ahead. */
export function seasonalDrift(period: number, phi = 0.8): Method {
  return (x, horizon) => {
    const n = x.length;
    if (n < 2 * period) return seasonalProfile(period, 1, 0)(x, horizon);
    const change = mean(x, n - period, n) - mean(x, n - 2 * period, n - period);
    const out = new Float64Array(horizon);
    for (let h = 0; h < horizon; h++) {
      const cycles = Math.floor(h / period) + 1;
      let damp = 0;
      for (let c = 1; c <= cycles; c++) damp += phi ** c;
      out[h] = (x[n - period + (h % period)] ?? 0) + change * damp;
    }
    return out;
  };
}

/**
 * Theta method (Assimakopoulos–Nikolopoulos, as in the M4 benchmark) on the seasonally adjusted
 * series: multiplicative (or additive, `multiplicative` false) indices for each period removed in
 * turn, then the mean of the linear-regression line and simple exponential smoothing of the
 * theta-2 line, both fitted on the last `window` points; seasonality put back.
 */
export function seasonalTheta(periods: readonly number[], window: number, multiplicative: boolean): Method {
  return (x, horizon) => {
    const n = x.length;
    const mult = multiplicative && x.every((v) => v > 0);
    let adj = Float64Array.from(x);
    const layers: Array<{ p: number; idx: Float64Array }> = [];
    for (const p of periods) {
      if (n < 3 * p) continue;
      const idx = seasonalIndices(adj, p, Math.max(2, Math.floor(window / p)), mult);
      layers.push({ p, idx });
      adj = Float64Array.from(adj, (v, i) => (mult ? v / (idx[i % p] ?? 1) : v - (idx[i % p] ?? 0)));
    }
    const len = Math.min(n, window);
    const y = adj.subarray(n - len);
    let st = 0;
    let sy = 0;
    let stt = 0;
    let sty = 0;
    for (let i = 0; i < len; i++) {
      const v = y[i] ?? 0;
      st += i;
      sy += v;
      stt += i * i;
      sty += i * v;
    }
    const den = len * stt - st * st;
    const b = den !== 0 ? (len * sty - st * sy) / den : 0;
    const a = (sy - b * st) / len;
    // SES on theta-2 line
    let best = { sse: Number.POSITIVE_INFINITY, level: y[len - 1] ?? 0 };
    for (const alpha of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9]) {
      let l = 2 * (y[0] ?? 0) - a;
      let sse = 0;
      for (let i = 1; i < len; i++) {
        const t2 = 2 * (y[i] ?? 0) - (a + b * i);
        const e = t2 - l;
        sse += e * e;
        l += alpha * e;
      }
      if (sse < best.sse) best = { sse, level: l };
    }
    const out = new Float64Array(horizon);
    for (let h = 0; h < horizon; h++) {
      let v = 0.5 * (a + b * (len + h)) + 0.5 * best.level;
      for (const { p, idx } of layers) v = mult ? v * (idx[(n + h) % p] ?? 1) : v + (idx[(n + h) % p] ?? 0);
      out[h] = v;
    }
    return out;
  };
}

/**
 * Exponentially weighted seasonal profile: each phase is the weighted mean of the same phase over
 * the last `cycles` periods (weight `lambda`^c), shifted by the weighted difference between the last
 * `levelWindow` points and the same window in those cycles.
 */
export function weightedProfile(period: number, cycles: number, lambda: number, levelWindow = 24): Method {
  return (x, horizon) => {
    const n = x.length;
    const k = Math.max(1, Math.min(cycles, Math.floor(n / period)));
    let shift = 0;
    let sw = 0;
    if (levelWindow > 0 && n >= levelWindow + period) {
      const recent = mean(x, n - levelWindow, n);
      let past = 0;
      for (let c = 1; c <= k && n - levelWindow - c * period >= 0; c++) {
        const wgt = lambda ** (c - 1);
        past += wgt * mean(x, n - levelWindow - c * period, n - c * period);
        sw += wgt;
      }
      if (sw > 0) shift = recent - past / sw;
    }
    const out = new Float64Array(horizon);
    for (let h = 0; h < horizon; h++) {
      let s = 0;
      let ws = 0;
      for (let c = 1; c <= k; c++) {
        let i = n + h - c * period;
        while (i >= n) i -= period;
        if (i < 0) continue;
        const wgt = lambda ** (c - 1);
        s += wgt * (x[i] ?? 0);
        ws += wgt;
      }
      out[h] = (ws > 0 ? s / ws : (x[n - 1] ?? 0)) + shift;
    }
    return out;
  };
}

/** Solves the small symmetric system A x = b (Gaussian elimination with partial pivoting). */
function solveSmall(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++)
      if (Math.abs(m[r * d + col] ?? 0) > Math.abs(m[piv * d + col] ?? 0)) piv = r;
    if (piv !== col) {
      for (let k = 0; k < d; k++) {
        const t = m[col * d + k] ?? 0;
        m[col * d + k] = m[piv * d + k] ?? 0;
        m[piv * d + k] = t;
      }
      const t = x[col] ?? 0;
      x[col] = x[piv] ?? 0;
      x[piv] = t;
    }
    const p = m[col * d + col] ?? 0;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = col + 1; r < d; r++) {
      const f = (m[r * d + col] ?? 0) / p;
      if (f === 0) continue;
      for (let k = col; k < d; k++) m[r * d + k] = (m[r * d + k] ?? 0) - f * (m[col * d + k] ?? 0);
      x[r] = (x[r] ?? 0) - f * (x[col] ?? 0);
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let s = x[r] ?? 0;
    for (let k = r + 1; k < d; k++) s -= (m[r * d + k] ?? 0) * (x[k] ?? 0);
    const p = m[r * d + r] ?? 0;
    x[r] = Math.abs(p) < 1e-12 ? 0 : s / p;
  }
  return x;
}

/**
 * Local seasonal autoregression: `y_t = c + Σ a_k y_{t−k}` over the lags given (e.g. 1, 2, 24, 168),
 * fitted by (lightly ridged) least squares on the last `window` points and iterated over the
 * horizon. With `difference` > 0 the model is fitted to `y_t − y_{t−difference}` and integrated
 * back. A different family (ARIMA-like) from the smoothing and profile members.
 */
export function seasonalAr(lagList: readonly number[], window: number, difference = 0): Method {
  const multi = seasonalArCuts(lagList, window, difference);
  return (x, horizon) => multi(x, horizon, [x.length])[0] ?? new Float64Array(horizon);
}

/**
 * `seasonalAr` for several origins of one history: the normal equations of every origin's window
 * come from running sums over the history (one pass), so each extra origin costs one small solve.
 */
export function seasonalArCuts(
  lagList: readonly number[],
  window: number,
  difference = 0,
): MultiOriginMethod {
  const lags = [...new Set(lagList)].filter((l) => l >= 1).sort((a, b) => a - b);
  const maxLag = lags[lags.length - 1] ?? 1;
  const d = lags.length + 1;
  return (x, horizon, cuts) => {
    const n = Math.max(...cuts);
    const z =
      difference > 0
        ? Float64Array.from({ length: n }, (_, i) =>
            i >= difference ? (x[i] ?? 0) - (x[i - difference] ?? 0) : 0,
          )
        : x.subarray(0, n);
    const minT = maxLag + difference;
    const lo = (c: number) => Math.min(c, Math.max(minT, c - window));
    const bounds = [...new Set(cuts.flatMap((c) => [c, lo(c)]))].sort((a, b) => a - b);
    // Running sums of the normal equations, snapshotted at each boundary (before row t is added).
    const snaps = new Map<number, { ata: Float64Array; atb: Float64Array; rows: number }>();
    const ata = new Float64Array(d * d);
    const atb = new Float64Array(d);
    const row = new Float64Array(d);
    let rows = 0;
    let bi = 0;
    const first = bounds[0] ?? n;
    for (let t = first; t <= n; t++) {
      if (t === bounds[bi]) {
        snaps.set(t, { ata: Float64Array.from(ata), atb: Float64Array.from(atb), rows });
        bi++;
      }
      if (t === n || t < minT) continue;
      for (let k = 0; k < lags.length; k++) row[k] = z[t - (lags[k] ?? 1)] ?? 0;
      row[lags.length] = 1;
      const y = z[t] ?? 0;
      for (let i = 0; i < d; i++) {
        const ri = row[i] ?? 0;
        atb[i] = (atb[i] ?? 0) + ri * y;
        for (let j = 0; j <= i; j++) ata[i * d + j] = (ata[i * d + j] ?? 0) + ri * (row[j] ?? 0);
      }
      rows++;
    }
    return cuts.map((c) => {
      const hi = snaps.get(c);
      const from = snaps.get(lo(c));
      if (hi === undefined || from === undefined || hi.rows - from.rows < 3 * d)
        return seasonalProfile(Math.min(maxLag, 24), 1, 0)(x.subarray(0, c), horizon);
      const a = new Float64Array(d * d);
      const b = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        b[i] = (hi.atb[i] ?? 0) - (from.atb[i] ?? 0);
        for (let j = 0; j <= i; j++) {
          const v = (hi.ata[i * d + j] ?? 0) - (from.ata[i * d + j] ?? 0);
          a[i * d + j] = v;
          a[j * d + i] = v;
        }
      }
      let tr = 0;
      for (let i = 0; i < lags.length; i++) tr += a[i * d + i] ?? 0;
      for (let i = 0; i < lags.length; i++) a[i * d + i] = (a[i * d + i] ?? 0) + (1e-4 * tr) / lags.length;
      const coef = solveSmall(a, b, d);
      const ext = new Float64Array(c + horizon);
      ext.set(z.subarray(0, c));
      const xs = new Float64Array(c + horizon);
      xs.set(x.subarray(0, c));
      const out = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) {
        const t = c + h;
        let v = coef[lags.length] ?? 0;
        for (let k = 0; k < lags.length; k++) v += (coef[k] ?? 0) * (ext[t - (lags[k] ?? 1)] ?? 0);
        ext[t] = v;
        xs[t] = difference > 0 ? v + (xs[t - difference] ?? 0) : v;
        out[h] = xs[t] ?? 0;
      }
      return out;
    });
  };
}
