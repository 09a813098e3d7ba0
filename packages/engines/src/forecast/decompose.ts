/**
 * Classical seasonal decomposition and the M4 seasonality test, as the M4 competition computes them
 * for its Naive2 benchmark (R `decompose(type = "multiplicative")`, M4 `SeasonalityTest`).
 */

/** Sample autocorrelation at lag k (R `acf` / M4 `acf`: centred by the mean, normalised by lag 0). */
export function acf(x: ArrayLike<number>, k: number): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] ?? 0;
  m /= n;
  let s1 = 0;
  for (let i = k; i < n; i++) s1 += ((x[i] ?? 0) - m) * ((x[i - k] ?? 0) - m);
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += ((x[i] ?? 0) - m) ** 2;
  return s2 === 0 ? 0 : s1 / s2;
}

/**
 * The M4 90% autocorrelation seasonality test (R benchmarks): seasonal when
 * |acf(period)| > 1.645 × sqrt((1 + 2 Σ_{k<period} acf(k)²) / n); never seasonal with fewer than
 * three periods of data.
 */
export function seasonalityTest(x: ArrayLike<number>, period: number): boolean {
  if (period <= 1 || x.length < 3 * period) return false;
  let s = 1;
  for (let k = 1; k < period; k++) s += 2 * acf(x, k) ** 2;
  const limit = (1.645 / Math.sqrt(x.length)) * Math.sqrt(s);
  return Math.abs(acf(x, period)) > limit;
}

/** Centred moving average of order `period` (2×period for even periods); NaN where undefined. */
export function centredMovingAverage(x: ArrayLike<number>, period: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const even = period % 2 === 0;
  const half = Math.floor(period / 2);
  for (let i = half; i < n - half; i++) {
    let s = 0;
    if (even) {
      s = 0.5 * ((x[i - half] ?? 0) + (x[i + half] ?? 0));
      for (let j = i - half + 1; j < i + half; j++) s += x[j] ?? 0;
    } else {
      for (let j = i - half; j <= i + half; j++) s += x[j] ?? 0;
    }
    out[i] = s / period;
  }
  return out;
}

/**
 * Multiplicative seasonal indices (mean 1) by position modulo `period`, counted from the first
 * point, as R `decompose(type = "multiplicative")$figure`.
 */
export function multiplicativeSeasonalIndices(x: ArrayLike<number>, period: number): Float64Array {
  const trend = centredMovingAverage(x, period);
  const sums = new Float64Array(period);
  const counts = new Float64Array(period);
  for (let i = 0; i < x.length; i++) {
    const t = trend[i] ?? Number.NaN;
    if (Number.isNaN(t) || t === 0) continue;
    sums[i % period] = (sums[i % period] ?? 0) + (x[i] ?? 0) / t;
    counts[i % period] = (counts[i % period] ?? 0) + 1;
  }
  const figure = new Float64Array(period);
  let mean = 0;
  for (let j = 0; j < period; j++) {
    figure[j] = (counts[j] ?? 0) > 0 ? (sums[j] ?? 0) / (counts[j] ?? 1) : 1;
    mean += figure[j] ?? 0;
  }
  mean /= period;
  for (let j = 0; j < period; j++) figure[j] = (figure[j] ?? 1) / mean;
  return figure;
}

/** M4 Naive2: the last seasonally adjusted value, reseasonalised (adjusted only if the test finds seasonality). */
export function naive2(x: ArrayLike<number>, horizon: number, period: number): Float64Array {
  const n = x.length;
  const si = seasonalityTest(x, period) ? multiplicativeSeasonalIndices(x, period) : undefined;
  const index = (i: number): number => (si ? (si[i % period] ?? 1) : 1);
  const last = (x[n - 1] ?? 0) / index(n - 1);
  return Float64Array.from({ length: horizon }, (_, h) => last * index(n + h));
}

/** Seasonal naive: the value one period earlier. */
export function seasonalNaive(x: ArrayLike<number>, horizon: number, period: number): Float64Array {
  const n = x.length;
  return Float64Array.from({ length: horizon }, (_, h) => x[n - period + (h % period)] ?? x[n - 1] ?? 0);
}
