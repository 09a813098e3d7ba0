/**
 * NAB scoring, a faithful port of numenta/NAB `nab/sweeper.py` (v1.1) and the normalisation of
 * `nab/runner.py`:
 * - the first min(floor(0.15 n), 0.15 × 5000) rows of each file are probation and not scored;
 * - a row inside a window scores scaledSigmoid(−(right − i + 1)/width) × tpWeight / scaledSigmoid(−1),
 *   and only the best (earliest) detected row of each window counts;
 * - a row outside any window scores fpWeight × scaledSigmoid(|prevRight − i| / (prevWidth − 1)),
 *   or −fpWeight before the first window;
 * - an undetected window costs fnWeight;
 * - one threshold for the whole corpus per profile: rows are sorted by anomaly score (descending), a
 *   score is recorded each time the anomaly score changes (so tied scores enter together), the first
 *   row (threshold 1.1) detects nothing; the best score wins, the highest threshold among equals;
 * - normalised = 100 × (S − S_null) / (S_perfect − S_null), S_perfect = tpWeight × number of windows,
 *   S_null = the null detector's score (every window missed).
 */
import type { CostMatrix } from './corpus.js';

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function scaledSigmoid(relativePositionInWindow: number): number {
  if (relativePositionInWindow >= 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePositionInWindow) - 1.0;
}

export function probationaryLength(numRows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * numRows), probationPercent * 5000);
}

/** One row of one file, as `AnomalyPoint` in sweeper.py. `window` −1: outside windows; −2: probation. */
export interface AnomalyPoint {
  readonly anomalyScore: number;
  readonly sweepScore: number;
  /** Corpus-wide window id, −1 outside any window, −2 in probation. */
  readonly window: number;
}

export const OUTSIDE = -1;
export const PROBATION = -2;

export interface ScoredFile {
  /** Row timestamps in a form comparable with the window limits. */
  readonly timestamps: readonly string[];
  readonly anomalyScores: ArrayLike<number>;
  readonly windows: ReadonlyArray<readonly [string, string]>;
}

/** sweeper.calcSweepScore: one AnomalyPoint per row. `windowIdBase` makes window ids corpus-unique. */
export function calcSweepScore(
  file: ScoredFile,
  cost: CostMatrix,
  windowIdBase = 0,
  probationPercent = 0.15,
): AnomalyPoint[] {
  const { timestamps, anomalyScores } = file;
  if (timestamps.length !== anomalyScores.length) {
    throw new Error('timestamps and anomalyScores should not be different lengths');
  }
  const windowLimits = file.windows.slice();
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(timestamps.length, probationPercent);
  const out: AnomalyPoint[] = new Array(timestamps.length);
  let cur: readonly [string, string] | undefined;
  let curId = OUTSIDE;
  let curWidth = 0;
  let curRight = 0;
  let prevWidth: number | undefined;
  let prevRight: number | undefined;
  let nextWindowId = windowIdBase;
  for (let i = 0; i < timestamps.length; i++) {
    const ts = timestamps[i];
    const first = windowLimits[0];
    if (first !== undefined && ts === first[0]) {
      cur = first;
      windowLimits.shift();
      curId = nextWindowId++;
      curRight = timestamps.indexOf(first[1]);
      curWidth = curRight - timestamps.indexOf(first[0]) + 1;
    }
    let weighted: number;
    if (cur !== undefined) {
      const position = -(curRight - i + 1) / curWidth;
      weighted = (scaledSigmoid(position) * cost.tpWeight) / maxTP;
    } else {
      const positionPast = prevRight === undefined ? 3.0 : Math.abs(prevRight - i) / ((prevWidth ?? 0) - 1);
      weighted = scaledSigmoid(positionPast) * cost.fpWeight;
    }
    out[i] = {
      anomalyScore: anomalyScores[i] ?? 0,
      sweepScore: weighted,
      window: i >= probation ? (cur !== undefined ? curId : OUTSIDE) : PROBATION,
    };
    if (cur !== undefined && ts === cur[1]) {
      prevRight = i;
      prevWidth = curWidth;
      cur = undefined;
      curId = OUTSIDE;
    }
  }
  return out;
}

export interface ThresholdScore {
  readonly threshold: number;
  readonly score: number;
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
}

/** sweeper.calcScoreByThreshold: the score at every distinct threshold, highest threshold first. */
export function calcScoreByThreshold(points: readonly AnomalyPoint[], cost: CostMatrix): ThresholdScore[] {
  // Python's sorted(reverse=True) is stable: equal scores keep their input order.
  const scorable = points
    .filter((p) => p.window !== PROBATION)
    .map((p, k) => ({ p, k }))
    .sort((a, b) => b.p.anomalyScore - a.p.anomalyScore || a.k - b.k)
    .map((x) => x.p);
  // scoreParts: {"fp": 0, <window>: −fnWeight, ...} in insertion order, summed the same way.
  const partOrder: number[] = [];
  const parts = new Map<number, number>();
  for (const p of scorable) {
    if (p.window >= 0 && !parts.has(p.window)) {
      parts.set(p.window, -cost.fnWeight);
      partOrder.push(p.window);
    }
  }
  let fpPart = 0;
  const sumParts = (): number => {
    let s = fpPart;
    for (const w of partOrder) s += parts.get(w) ?? 0;
    return s;
  };
  let tn = 0;
  let fn = 0;
  for (const p of scorable) {
    if (p.window === OUTSIDE) tn++;
    else fn++;
  }
  let tp = 0;
  let fp = 0;
  let curThreshold = 1.1;
  const out: ThresholdScore[] = [];
  for (const p of scorable) {
    if (p.anomalyScore !== curThreshold) {
      out.push({ threshold: curThreshold, score: sumParts(), tp, tn, fp, fn });
      curThreshold = p.anomalyScore;
    }
    if (p.window === OUTSIDE) {
      fp++;
      tn--;
      fpPart += p.sweepScore;
    } else {
      tp++;
      fn--;
      parts.set(p.window, Math.max(parts.get(p.window) ?? 0, p.sweepScore));
    }
  }
  out.push({ threshold: curThreshold, score: sumParts(), tp, tn, fp, fn });
  return out;
}

export interface ProfileResult {
  readonly profile: string;
  readonly threshold: number;
  readonly rawScore: number;
  readonly nullScore: number;
  readonly perfectScore: number;
  readonly normalisedScore: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

/** Sweep points of every file, with corpus-unique window ids. */
export function corpusSweepPoints(files: readonly ScoredFile[], cost: CostMatrix): AnomalyPoint[] {
  const all: AnomalyPoint[] = [];
  let base = 0;
  for (const f of files) {
    const pts = calcSweepScore(f, cost, base);
    base += f.windows.length;
    for (const p of pts) all.push(p);
  }
  return all;
}

/** nab optimizeThreshold: the best threshold (first of the maximal scores, i.e. the highest threshold). */
export function optimiseThreshold(points: readonly AnomalyPoint[], cost: CostMatrix): ThresholdScore {
  const byThreshold = calcScoreByThreshold(points, cost);
  let best = byThreshold[0];
  for (const s of byThreshold) if (best === undefined || s.score > best.score) best = s;
  if (best === undefined) throw new Error('empty corpus');
  return best;
}

/** Scores a corpus for one profile, normalised against the null detector and a perfect detector. */
export function scoreProfile(profile: string, files: readonly ScoredFile[], cost: CostMatrix): ProfileResult {
  const points = corpusSweepPoints(files, cost);
  const best = optimiseThreshold(points, cost);
  const nullPoints = points.map((p) => ({ ...p, anomalyScore: 0 }));
  const nullScore = optimiseThreshold(nullPoints, cost).score;
  const numWindows = files.reduce((n, f) => n + f.windows.length, 0);
  const perfectScore = numWindows * cost.tpWeight;
  return {
    profile,
    threshold: best.threshold,
    rawScore: best.score,
    nullScore,
    perfectScore,
    normalisedScore: (100 * (best.score - nullScore)) / (perfectScore - nullScore),
    tp: best.tp,
    fp: best.fp,
    fn: best.fn,
  };
}

export function scoreAllProfiles(
  files: readonly ScoredFile[],
  profiles: Readonly<Record<string, CostMatrix>>,
): ProfileResult[] {
  return Object.entries(profiles).map(([name, cost]) => scoreProfile(name, files, cost));
}
