import { describe, expect, it } from 'vitest';
import { normalCdf, predictBursts } from './bursts.js';

describe('burst prediction', () => {
  it('names the recurring daily peak in the next day with its size', () => {
    // hourly history of 14 days, 100 req/h, 160 at 10:00–11:00 every day
    const start = Date.UTC(2024, 0, 1); // a Monday, 00:00 UTC
    const history = Array.from({ length: 24 * 14 }, (_, i) => (i % 24 === 10 ? 160 : 100) + (i % 3));
    const lastTimestampMs = start + (history.length - 1) * 3_600_000;
    const p = predictBursts(history, {
      lastTimestampMs,
      stepSeconds: 3600,
      horizon: 24,
      seasonalities: [24],
      baselineMultiple: 1.3,
    });
    expect(p.bursts).toHaveLength(1);
    const b = p.bursts[0];
    expect(new Date(b?.startMs ?? 0).getUTCHours()).toBe(10);
    expect(new Date(b?.endMs ?? 0).getUTCHours()).toBe(11);
    expect(b?.increasePct).toBeGreaterThanOrEqual(50);
    expect(b?.increasePct).toBeLessThanOrEqual(65);
    expect(b?.confidence).toBeGreaterThan(0.8);
    expect(b?.label).toMatch(/^Traffic spike expected Mon 10:00–11:00, \+\d+%$/);
  });

  // Hourly history of 14 days around 100 req/h with a surge at 10:00, 11:00 and 13:00 every day
  // (and `surge` at 12:00), plus a repeating −5..+5 wobble so the forecast's interval has some width.
  const start = Date.UTC(2024, 0, 1); // a Monday, 00:00 UTC
  const daily = (surge: Record<number, number>) =>
    Array.from({ length: 24 * 14 }, (_, i) => (surge[i % 24] ?? 100) + ((i * 5) % 11) - 5);
  const hourly = { lastTimestampMs: start + (24 * 14 - 1) * 3_600_000, stepSeconds: 3600, horizon: 24 };
  const hours = (bursts: ReadonlyArray<{ startMs: number; endMs: number }>) =>
    bursts.map((b) => [new Date(b.startMs).getUTCHours(), new Date(b.endMs).getUTCHours()]);

  it('keeps one surge whose probability dips briefly below minConfidence as one window (regression: fragments)', () => {
    // 12:00 averages 129 against a threshold of 130: its crossing probability is under 0.5 but above
    // the exit level, so 10:00–14:00 is one episode, not 10:00–12:00 and 13:00–14:00.
    const history = daily({ 10: 160, 11: 160, 12: 129, 13: 160 });
    const options = { ...hourly, seasonalities: [24], threshold: 130 };
    const p = predictBursts(history, options);
    expect(hours(p.bursts)).toEqual([[10, 14]]);
    const b = p.bursts[0];
    expect(b?.label).toMatch(/^Traffic spike expected Mon 10:00–14:00, \+\d+%$/);
    expect(b?.confidence).toBeGreaterThan(0.9);
    expect([10, 11, 13]).toContain(new Date(b?.peakAtMs ?? 0).getUTCHours());
    // Without hysteresis (exit level = entry level) the same forecast falls apart at 12:00.
    expect(hours(predictBursts(history, { ...options, exitConfidence: 0.5 }).bursts)).toEqual([
      [10, 12],
      [13, 14],
    ]);
  });

  it('keeps two bursts with the load back at baseline between them as two windows', () => {
    const p = predictBursts(daily({ 10: 160, 18: 160 }), { ...hourly, seasonalities: [24] });
    expect(hours(p.bursts)).toEqual([
      [10, 11],
      [18, 19],
    ]);
    expect(p.bursts.map((b) => b.label)).toEqual([
      expect.stringMatching(/^Traffic spike expected Mon 10:00–11:00, \+\d+%$/),
      expect.stringMatching(/^Traffic spike expected Mon 18:00–19:00, \+\d+%$/),
    ]);
  });

  it('rejects an exit level above the entry level; the default exit level follows minConfidence', () => {
    const history = daily({ 10: 160 });
    expect(() => predictBursts(history, { ...hourly, minConfidence: 0.5, exitConfidence: 0.6 })).toThrow(
      /exitConfidence must not exceed minConfidence/,
    );
    expect(
      predictBursts(history, { ...hourly, seasonalities: [24], minConfidence: 0.2 }).bursts,
    ).toHaveLength(1);
  });

  it('has a standard normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.645)).toBeCloseTo(0.05, 3);
  });
});
