/**
 * What the forecasting server remembers between calls of `forecasting_watch_anomalies`: one live
 * detector per watched series (the engines' AnomalyWatch, bounded) and, per watch and query, the end
 * of the last window read, so the next call reads only what is new. Kept in the server process:
 * lost on restart (the next call warms up again from history); one per process, shared by every
 * client session of an HTTP server.
 */
import { type AnomalyWatch, createAnomalyWatch } from '@devops-ai/engines';

export interface WatchStateOptions {
  /** Detectors kept in all (about 100–180 KB each); the least recently advanced go first. */
  maxSeries?: number;
  /** Queries remembered (their last window end); the least recently read go first. */
  maxQueries?: number;
}

export class WatchState {
  readonly detectors: AnomalyWatch;
  private readonly ends = new Map<string, number>();
  private readonly maxQueries: number;
  constructor(opts: WatchStateOptions = {}) {
    this.detectors = createAnomalyWatch({ maxSeries: opts.maxSeries ?? 2000 });
    this.maxQueries = opts.maxQueries ?? 1000;
  }
  /** End (ms) of the last window read for this watch and query, if remembered. */
  lastEnd(queryKey: string): number | undefined {
    return this.ends.get(queryKey);
  }
  /** Remembers the end of the window just read (never moving it back). */
  setLastEnd(queryKey: string, endMs: number): void {
    const before = this.ends.get(queryKey);
    this.ends.delete(queryKey);
    this.ends.set(queryKey, Math.max(endMs, before ?? endMs));
    while (this.ends.size > this.maxQueries) this.ends.delete(this.ends.keys().next().value as string);
  }
}

/** `FORECASTING_WATCH_MAX_SERIES` (default 2000), for the server's bin. */
export function watchStateFromEnv(env: NodeJS.ProcessEnv): WatchState {
  const raw = env.FORECASTING_WATCH_MAX_SERIES;
  if (raw === undefined || raw === '') return new WatchState();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new Error(`FORECASTING_WATCH_MAX_SERIES must be an integer from 1 to 1000000, got "${raw}"`);
  return new WatchState({ maxSeries: n });
}
