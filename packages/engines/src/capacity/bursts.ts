/**
 * Burst prediction: from a history and its forecast, the coming windows where load will exceed a
 * threshold (absolute, or a multiple of the baseline), each with its peak, size against the baseline
 * and a confidence (probability that the load really crosses the threshold, from the forecast's
 * prediction interval under a normal approximation).
 *
 * Windows use hysteresis, as alerting does: a window opens where the probability reaches
 * `minConfidence` and the episode lasts while it stays at or above the lower `exitConfidence`, so a
 * brief dip in the middle of one surge does not cut it into fragments. The window is reported from
 * the episode's first to its last step at `minConfidence` (the fading tail between the two levels
 * is not part of it), so its edges mean what they meant without hysteresis.
 */
import { z } from 'zod';
import { forecast } from '../forecast/forecaster.js';

export const burstOptionsSchema = z
  .object({
    /** Epoch milliseconds of the last history point. */
    lastTimestampMs: z.number(),
    stepSeconds: z.number().gt(0),
    horizon: z.number().int().min(1),
    seasonalities: z.array(z.number().int().min(2)).default([]),
    /** Absolute threshold; when absent, `baselineMultiple` × baseline. */
    threshold: z.number().optional(),
    /** Threshold as a multiple of the baseline (median of the last `baselineWindow` points). */
    baselineMultiple: z.number().gt(0).default(1.3),
    baselineWindow: z.number().int().min(1).optional(),
    /** Probability at which a window opens; a window's first and last step reach it. */
    minConfidence: z.number().min(0).max(1).default(0.5),
    /**
     * Probability below which an open window's episode ends (at most `minConfidence`; default
     * `minConfidence` / 2). Equal to `minConfidence`, every dip below it cuts the window.
     */
    exitConfidence: z.number().min(0).max(1).optional(),
    level: z.number().gt(0).lt(1).default(0.9),
    /** IANA-free rendering: offset of local time from UTC in minutes for the labels. */
    utcOffsetMinutes: z.number().int().default(0),
  })
  .strict()
  .refine((o) => o.exitConfidence === undefined || o.exitConfidence <= o.minConfidence, {
    message: 'exitConfidence must not exceed minConfidence',
    path: ['exitConfidence'],
  });

export type BurstOptions = z.input<typeof burstOptionsSchema>;

export interface Burst {
  readonly startMs: number;
  readonly endMs: number;
  readonly peak: number;
  readonly peakAtMs: number;
  /** Peak against the baseline, in percent (+40 means 1.4× the baseline). */
  readonly increasePct: number;
  readonly confidence: number;
  /** e.g. "Traffic spike expected Mon 10:00–11:00, +40%". */
  readonly label: string;
}

export interface BurstPrediction {
  readonly baseline: number;
  readonly threshold: number;
  readonly bursts: Burst[];
  readonly forecast: { readonly mean: number[]; readonly lower: number[]; readonly upper: number[] };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Two-sided normal quantile for a central coverage, by bisection on the CDF. */
function zForLevel(level: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (2 * normalCdf(mid) - 1 < level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function clock(ms: number, offsetMin: number): { day: string; hhmm: string } {
  const d = new Date(ms + offsetMin * 60_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return { day: DAYS[d.getUTCDay()] ?? '', hhmm: `${hh}:${mm}` };
}

function median(v: number[]): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? (s[m] ?? 0) : 0.5 * ((s[m - 1] ?? 0) + (s[m] ?? 0));
}

export function predictBursts(history: ArrayLike<number>, options: BurstOptions): BurstPrediction {
  const opt = burstOptionsSchema.parse(options);
  const f = forecast(history, { horizon: opt.horizon, seasonalities: opt.seasonalities, level: opt.level });
  const window = opt.baselineWindow ?? Math.min(history.length, Math.max(...opt.seasonalities, 24));
  const recent: number[] = [];
  for (let i = Math.max(0, history.length - window); i < history.length; i++)
    recent.push(history[i] ?? Number.NaN);
  const baseline = median(recent);
  const threshold = opt.threshold ?? baseline * opt.baselineMultiple;
  const z = zForLevel(opt.level);
  const stepMs = opt.stepSeconds * 1000;
  const prob = f.mean.map((m, j) => {
    const sd = Math.max(((f.upper[j] ?? m) - (f.lower[j] ?? m)) / (2 * z), 1e-12 * Math.max(1, Math.abs(m)));
    return 1 - normalCdf((threshold - m) / sd);
  });
  const exit = opt.exitConfidence ?? opt.minConfidence / 2;
  const bursts: Burst[] = [];
  let j = 0;
  while (j < prob.length) {
    if ((prob[j] ?? 0) < opt.minConfidence) {
      j++;
      continue;
    }
    // The episode runs while the probability stays at or above the exit level; the window ends
    // after its last step at minConfidence.
    let k = j;
    let end = j;
    while (k < prob.length && (prob[k] ?? 0) >= exit) {
      if ((prob[k] ?? 0) >= opt.minConfidence) end = k + 1;
      k++;
    }
    let peakJ = j;
    let conf = 0;
    for (let i = j; i < end; i++) {
      if ((f.mean[i] ?? 0) > (f.mean[peakJ] ?? 0)) peakJ = i;
      conf = Math.max(conf, prob[i] ?? 0);
    }
    const startMs = opt.lastTimestampMs + (j + 1) * stepMs;
    const endMs = opt.lastTimestampMs + (end + 1) * stepMs;
    const peak = f.mean[peakJ] ?? 0;
    const increasePct = baseline > 0 ? Math.round(((peak - baseline) / baseline) * 100) : 0;
    const a = clock(startMs, opt.utcOffsetMinutes);
    const b = clock(endMs, opt.utcOffsetMinutes);
    bursts.push({
      startMs,
      endMs,
      peak,
      peakAtMs: opt.lastTimestampMs + (peakJ + 1) * stepMs,
      increasePct,
      confidence: conf,
      label: `Traffic spike expected ${a.day} ${a.hhmm}–${a.day === b.day ? '' : `${b.day} `}${b.hhmm}, ${increasePct >= 0 ? '+' : ''}${increasePct}%`,
    });
    j = k;
  }
  return { baseline, threshold, bursts, forecast: { mean: f.mean, lower: f.lower, upper: f.upper } };
}
