import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TRACE_ANCHOR_MS, TRACE_WRAP_BUCKETS, traceLoad } from './traffic.js';

const rawRequests = readFileSync(
  fileURLToPath(new URL('../data/nasa_requests_per_5min.csv', import.meta.url)),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => Number(l.split(',')[2]));

const bucketMs = 300_000;
const at = (bucket: number) => TRACE_ANCHOR_MS + (bucket + 0.5) * bucketMs;

describe('traffic trace replay', () => {
  it('replays the file bucket for bucket (relative to the trace mean) at bucket centres', () => {
    const sample = [100, 2_000, 5_555, 12_345];
    const ratios = sample.map((b) => traceLoad(at(b)) / (rawRequests[b] ?? Number.NaN));
    // One common scale factor (1 / mean) for every non-empty bucket.
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0] ?? 0, 9);
  });

  it('fills the August outage from the same time a week earlier instead of replaying silence', () => {
    const outage = 677 * 12 + 6; // inside hours 677–713 of the trace
    expect(rawRequests[outage]).toBe(0);
    expect(traceLoad(at(outage))).toBeCloseTo(traceLoad(at(outage - 7 * 288)), 9);
    let min = Number.POSITIVE_INFINITY;
    for (let b = 0; b < TRACE_WRAP_BUCKETS; b += 1) min = Math.min(min, traceLoad(at(b)));
    expect(min).toBeGreaterThan(0);
  });

  it('wraps after eight whole weeks, keeping weekday and hour of day', () => {
    const wrapMs = TRACE_WRAP_BUCKETS * bucketMs;
    expect(wrapMs).toBe(8 * 7 * 24 * 3600_000);
    const t = Date.parse('2026-03-02T08:00:00Z');
    expect(traceLoad(t + wrapMs)).toBeCloseTo(traceLoad(t), 9);
    // The sandbox's Monday 08:00 UTC is the trace's Monday 08:00 (local time of the trace).
    const mondayBucket = (2 * 24 + 8) * 12;
    expect(traceLoad(t + 150_000)).toBeCloseTo(traceLoad(at(mondayBucket)), 9);
  });
});
