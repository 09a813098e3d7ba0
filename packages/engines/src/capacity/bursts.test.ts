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

  it('has a standard normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.645)).toBeCloseTo(0.05, 3);
  });
});
