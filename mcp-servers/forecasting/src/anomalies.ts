/** The anomaly detector over one series, as the anomaly tools report it. */
import { createAnomalyDetector, describeAnomalyReason } from '@devops-ai/engines';
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

/** Runs a fresh streaming detector over the series (each point scored from the past only). */
export function scoreSeries(
  values: readonly number[],
  startMs: number,
  stepSeconds: number,
  threshold: number,
  maxResults: number,
): ScoredSeries {
  const detector = createAnomalyDetector();
  const hits: ScoredAnomaly[] = [];
  let maxScore = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const t = startMs + i * stepSeconds * 1000;
    const score = detector.update(v, t);
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
    maxScore: round3(maxScore),
    anomalies: top.sort((a, b) => (a.time < b.time ? -1 : 1)),
    truncated: hits.length > top.length,
  };
}
