import { describe, expect, it } from 'vitest';
import {
  acf,
  centredMovingAverage,
  multiplicativeSeasonalIndices,
  naive2,
  seasonalityTest,
} from './decompose.js';

describe('M4 decomposition helpers', () => {
  const seasonal = Array.from(
    { length: 24 * 10 },
    (_, i) => 100 * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 24)),
  );

  it('computes the autocorrelation of a period-2 alternation', () => {
    const x = Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1));
    expect(acf(x, 1)).toBeCloseTo(-0.99, 2);
    expect(acf(x, 2)).toBeCloseTo(0.98, 2);
  });

  it('finds seasonality in a daily cycle, none in pseudo-random noise or in under three cycles', () => {
    expect(seasonalityTest(seasonal, 24)).toBe(true);
    const noise = Array.from(
      { length: 240 },
      (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453),
    );
    expect(seasonalityTest(noise, 24)).toBe(false);
    expect(seasonalityTest(seasonal.slice(0, 50), 24)).toBe(false);
  });

  it('uses a 2×m centred moving average for even periods', () => {
    const x = Array.from({ length: 10 }, (_, i) => i);
    const ma = centredMovingAverage(x, 4);
    expect(Number.isNaN(ma[1] ?? 0)).toBe(true);
    expect(ma[2]).toBeCloseTo(2, 12);
    expect(ma[7]).toBeCloseTo(7, 12);
  });

  it('recovers multiplicative indices with mean 1 and Naive2 reseasonalises the last adjusted value', () => {
    const si = multiplicativeSeasonalIndices(seasonal, 24);
    expect(si.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 12);
    expect(si[6]).toBeCloseTo(1.3, 2);
    const f = naive2(seasonal, 24, 24);
    for (let h = 0; h < 24; h++) expect(f[h]).toBeCloseTo(seasonal[h] ?? 0, 0);
  });
});
