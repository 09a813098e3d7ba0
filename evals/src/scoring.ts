/** Scoring helpers: pass^k (τ-bench), percentiles, precision/recall. Pure functions. */

/** Binomial coefficient C(n, k) as a float (exact for the small n of an eval run). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return r;
}

/**
 * τ-bench's pass^k: the chance that k independent trials of a scenario all succeed, estimated
 * without bias from n ≥ k trials with c successes as C(c, k) / C(n, k), averaged over scenarios.
 */
export function passHatK(trials: Array<{ n: number; c: number }>, k: number): number | null {
  const usable = trials.filter((t) => t.n >= k);
  if (usable.length === 0 || k < 1) return null;
  return usable.reduce((s, t) => s + choose(t.c, k) / choose(t.n, k), 0) / usable.length;
}

/** Nearest-rank percentile (p in 0..100) of a list; null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export function addCounts(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}

export function precision(c: Counts): number | null {
  return c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp);
}

export function recall(c: Counts): number | null {
  return c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn);
}
