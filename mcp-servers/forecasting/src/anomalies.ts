/** The anomaly detector over one series, as the anomaly tools report it. */
import { createAnomalyDetector, describeAnomalyReason, detectorWarmupMs } from '@devops-ai/engines';
import { z } from 'zod';

/** The alert threshold both anomaly tools take. */
export const thresholdInput = z
  .number()
  .gt(0)
  .max(1)
  .default(0.55)
  .describe('0.5 = as surprising as the worst recent event');

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

const round3 = (v: number) => Math.round(v * 1000) / 1000;

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
 * Runs a fresh streaming detector over the series (each point scored from the past only). With
 * `reportLastMinutes`, reports (anomalies and the highest score) only that last part after the
 * warm-up, and says from when (`reportedFrom`, `warmupTrimmed`); otherwise every point.
 */
export function scoreSeries(
  values: readonly number[],
  startMs: number,
  stepSeconds: number,
  threshold: number,
  maxResults: number,
  reportLastMinutes?: number,
): ScoredSeries & { reportedFrom?: string | null; warmupTrimmed?: boolean } {
  const lastPointMs = startMs + (values.length - 1) * stepSeconds * 1000;
  const window = reportWindow(startMs, lastPointMs, stepSeconds, reportLastMinutes);
  const reportFromMs = window.from;
  const detector = createAnomalyDetector();
  const hits: ScoredAnomaly[] = [];
  let maxScore = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const t = startMs + i * stepSeconds * 1000;
    const score = detector.update(v, t);
    if (t < reportFromMs) continue;
    maxScore = Math.max(maxScore, score);
    const reason = detector.reason;
    if (score >= threshold && reason !== undefined)
      hits.push({
        time: new Date(t).toISOString(),
        value: v,
        score: round3(score),
        reason: describeAnomalyReason(reason),
      });
  }
  const top = [...hits].sort((a, b) => b.score - a.score).slice(0, maxResults);
  return {
    ...(reportLastMinutes !== undefined ? reportFields(window, startMs, lastPointMs, stepSeconds) : {}),
    maxScore: round3(maxScore),
    anomalies: top.sort((a, b) => (a.time < b.time ? -1 : 1)),
    truncated: hits.length > top.length,
  };
}

/**
 * The first reported time: `minutes` before the last point, and never within the detector's first
 * day (when the step divides a day) or first 300 points, whatever history the window holds: a
 * window asked to be reported in full gets its report trimmed rather than the first-day noise; and
 * whether that warm-up moved it. Everything when `minutes` is not given (the caller reads the whole
 * window).
 */
function reportWindow(
  startMs: number,
  lastPointMs: number,
  stepSeconds: number,
  minutes: number | undefined,
): { from: number; trimmed: boolean } {
  if (minutes === undefined) return { from: Number.NEGATIVE_INFINITY, trimmed: false };
  const warmupMs = detectorWarmupMs(stepSeconds * 1000);
  const asked = lastPointMs - minutes * 60_000 + 1;
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
