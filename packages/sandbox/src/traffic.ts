import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The traffic shape: the NASA-HTTP trace (July–August 1995, 5-minute buckets; see data/README.md),
 * normalised to mean 1 and replayed on the sandbox clock.
 *
 * Mapping: trace offset 0 is Saturday 1995-07-01 00:00 local time, and the sandbox maps
 * TRACE_ANCHOR (Saturday 2026-02-28 00:00 UTC) onto it, so weekdays and hours of day line up
 * (the sandbox's Monday 08:00 UTC replays the trace's Monday 08:00). The first eight whole weeks
 * of the trace are used and wrap around, which keeps the weekly cycle intact across the wrap.
 * Empty buckets (the 37-hour outage of 1–3 August and a few isolated ones) are filled from the
 * same bucket one week earlier (or later, in the first week).
 */
export const TRACE_ANCHOR_MS = Date.UTC(2026, 1, 28, 0, 0, 0);
const BUCKET_SECONDS = 300;
const WEEK_BUCKETS = (7 * 24 * 3600) / BUCKET_SECONDS;
const WRAP_WEEKS = 8;
export const TRACE_WRAP_BUCKETS = WEEK_BUCKETS * WRAP_WEEKS;

let cached: Float64Array | undefined;

function loadTrace(): Float64Array {
  if (cached) return cached;
  const path = fileURLToPath(new URL('../data/nasa_requests_per_5min.csv', import.meta.url));
  const lines = readFileSync(path, 'utf8').split('\n');
  const raw: number[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const cols = line.split(',');
    const idx = Number(cols[0]);
    const requests = Number(cols[2]);
    if (!Number.isInteger(idx) || !Number.isFinite(requests)) throw new Error(`bad trace line: ${line}`);
    raw[idx] = requests;
  }
  if (raw.length < TRACE_WRAP_BUCKETS) throw new Error('traffic trace is too short');
  const values = new Float64Array(TRACE_WRAP_BUCKETS);
  for (let i = 0; i < TRACE_WRAP_BUCKETS; i++) values[i] = raw[i] ?? 0;
  // Fill gaps (0 requests in a 5-minute bucket means the server or the logging was down).
  for (let i = 0; i < TRACE_WRAP_BUCKETS; i++) {
    if ((values[i] ?? 0) > 0) continue;
    for (const k of [-1, 1, -2, 2, -3, 3]) {
      const j = i + k * WEEK_BUCKETS;
      const v = j >= 0 ? (j < TRACE_WRAP_BUCKETS ? values[j] : raw[j]) : undefined;
      if (v !== undefined && v > 0) {
        values[i] = v;
        break;
      }
    }
  }
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) / mean;
  cached = values;
  return values;
}

/**
 * Relative load at a sandbox instant (mean 1 over the trace), linearly interpolated between the
 * centres of the 5-minute buckets.
 */
export function traceLoad(timeMs: number): number {
  const values = loadTrace();
  const seconds = (timeMs - TRACE_ANCHOR_MS) / 1000;
  const pos = seconds / BUCKET_SECONDS - 0.5;
  const n = values.length;
  const base = Math.floor(pos);
  const frac = pos - base;
  const a = values[((base % n) + n) % n] ?? 1;
  const b = values[(((base + 1) % n) + n) % n] ?? 1;
  return a + (b - a) * frac;
}
