import { describe, expect, it } from 'vitest';
import { rng } from '../testing/random.js';
import { createAnomalyDetector } from './detector.js';
import { createAnomalyWatch, detectorWarmupMs } from './watch.js';

const MIN = 60_000;
const DAY = 86_400_000;

/** Three days of one-minute requests with a daily cycle and noise; a +60% level shift from `shiftAt`. */
function traffic(seed: number, shiftAt = Number.POSITIVE_INFINITY): number[] {
  const r = rng(seed);
  return Array.from({ length: 3 * 1440 }, (_, i) => {
    const base = 200 + 80 * Math.sin((2 * Math.PI * i) / 1440) + 8 * (r() - 0.5);
    return i >= shiftAt ? base * 1.6 : base;
  });
}

describe('anomaly watch', () => {
  it('scores a series fed one scrape at a time exactly as one detector over the whole of it', () => {
    const values = traffic(1, 2 * 1440 + 600);
    const direct = createAnomalyDetector();
    const scores = values.map((v, i) => direct.update(v, i * MIN));
    const watch = createAnomalyWatch();
    const seen: number[] = [];
    // A warm-up read of the first two days, then scrapes of 5 points that each overlap the last by 2.
    let a = watch.advance('s', { values: values.slice(0, 2880), startMs: 0, stepMs: MIN }, { threshold: 0 });
    expect(a).toMatchObject({ newSeries: true, fed: 2880, skipped: 0, lastMs: 2879 * MIN });
    for (let from = 2878; from < values.length; from += 3) {
      a = watch.advance(
        's',
        { values: values.slice(from, from + 5), startMs: from * MIN, stepMs: MIN },
        { threshold: 0, reportFromMs: (from + 2) * MIN },
      );
      expect(a.newSeries).toBe(false);
      expect(a.skipped).toBe(Math.min(2, values.length - from));
      for (const h of a.hits) seen[h.timeMs / MIN] = h.score;
    }
    expect(a.lastMs).toBe((values.length - 1) * MIN);
    // Every point of the third day was fed once, in order, and scored as the direct run scored it.
    for (let i = 2880; i < values.length; i++) expect(seen[i] ?? 0).toBe(scores[i]);
    const firstAlert = seen.findIndex((s, i) => i >= 2880 && (s ?? 0) >= 0.55);
    expect(firstAlert).toBeGreaterThanOrEqual(2 * 1440 + 600);
    expect(firstAlert).toBeLessThanOrEqual(2 * 1440 + 605);
  });

  it('reports nothing from a fresh detector before the end of its first day', () => {
    expect(detectorWarmupMs(MIN)).toBe(DAY);
    expect(detectorWarmupMs(7 * MIN)).toBe(300 * 7 * MIN);
    const watch = createAnomalyWatch();
    // A shift 10 hours in: inside the warm-up, so not reported though the detector sees it.
    const values = traffic(2, 600).slice(0, 1440 + 120);
    const a = watch.advance('s', { values, startMs: 0, stepMs: MIN }, { threshold: 0.5 });
    expect(a.warmUntilMs).toBe(DAY);
    expect(a.hits.every((h) => h.timeMs >= DAY)).toBe(true);
    const direct = createAnomalyDetector();
    const early = values.map((v, i) => direct.update(v, i * MIN)).slice(590, 620);
    expect(Math.max(...early)).toBeGreaterThan(0.5);
  });

  it('keeps at most maxSeries detectors, forgetting the least recently advanced', () => {
    const watch = createAnomalyWatch({ maxSeries: 3 });
    const s = { values: [1, 2, 3], startMs: 0, stepMs: MIN };
    for (const k of ['a', 'b', 'c']) watch.advance(k, s, { threshold: 0.5 });
    watch.advance('a', { ...s, startMs: 3 * MIN }, { threshold: 0.5 });
    watch.advance('d', s, { threshold: 0.5 });
    expect(watch.size).toBe(3);
    expect(watch.capacity).toBe(3);
    expect(watch.evicted).toBe(1);
    expect(['a', 'b', 'c', 'd'].map((k) => watch.has(k))).toEqual([true, false, true, true]);
    // A forgotten series starts again, cold.
    expect(watch.advance('b', s, { threshold: 0.5 }).newSeries).toBe(true);
    expect(watch.has('c')).toBe(false);
  });

  it('returns the strongest maxHits in time order and says it truncated', () => {
    const watch = createAnomalyWatch();
    const values = traffic(3, 2 * 1440 + 100);
    const all = watch.advance('x', { values, startMs: 0, stepMs: MIN }, { threshold: 0.3 });
    const top = createAnomalyWatch().advance(
      'x',
      { values, startMs: 0, stepMs: MIN },
      { threshold: 0.3, maxHits: 2 },
    );
    expect(all.hits.length).toBeGreaterThan(2);
    expect(top.truncated).toBe(true);
    expect(top.hits).toHaveLength(2);
    const strongest = [...all.hits].sort((a, b) => b.score - a.score).slice(0, 2);
    expect(top.hits.map((h) => h.score).sort()).toEqual(strongest.map((h) => h.score).sort());
    expect(top.hits[0]?.timeMs).toBeLessThan(top.hits[1]?.timeMs ?? 0);
  });

  it('rejects a series without a positive step', () => {
    expect(() =>
      createAnomalyWatch().advance('x', { values: [1], startMs: 0, stepMs: 0 }, { threshold: 0.5 }),
    ).toThrow(/stepMs/);
  });
});
