import { describe, expect, it } from 'vitest';
import { ensembleForecast, inSqrtSpace } from './ensemble.js';
import {
  holtWintersFixed,
  holtWintersFixedCuts,
  seasonalAr,
  seasonalArCuts,
  seasonalTheta,
  weightedProfile,
} from './methods.js';

const daily = (i: number) => 100 + 30 * Math.sin((2 * Math.PI * i) / 24);

describe('holtWintersFixedCuts', () => {
  it('gives exactly what holtWintersFixed gives at each origin, in one pass', () => {
    let seed = 3;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const x = Float64Array.from(
      { length: 24 * 30 },
      (_, i) => daily(i) * (i % 168 < 120 ? 1 : 0.7) + 5 * noise(),
    );
    const params = { alpha: 0.1, beta: 0.05, phi: 0.9, gammas: [0.2, 0.05] };
    const cuts = [x.length - 48, x.length - 96, x.length];
    const multi = holtWintersFixedCuts([24, 168], params)(x, 48, cuts);
    const single = holtWintersFixed([24, 168], params);
    cuts.forEach((c, k) => {
      const expected = single(x.subarray(0, c), 48);
      for (let j = 0; j < 48; j++) expect(multi[k]?.[j]).toBeCloseTo(expected[j] ?? Number.NaN, 9);
    });
  });
});

describe('seasonalTheta', () => {
  it('continues a trend under a multiplicative daily pattern', () => {
    const f = (i: number) => (100 + 0.5 * i) * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 24));
    const n = 24 * 20;
    const x = Float64Array.from({ length: n }, (_, i) => f(i));
    const out = seasonalTheta([24], 336, true)(x, 24);
    for (let j = 0; j < 24; j++) expect(Math.abs((out[j] ?? 0) - f(n + j)) / f(n + j)).toBeLessThan(0.05);
  });
});

describe('weightedProfile', () => {
  it('weights recent cycles more and shifts to the recent level', () => {
    // cycles of constant level 10, then the last cycle at 20: λ = 0.5 puts most weight on it
    const x = Float64Array.from({ length: 24 * 4 }, (_, i) => (i >= 72 ? 20 : 10));
    const noShift = weightedProfile(24, 4, 0.5, 0)(x, 24);
    expect(noShift[0]).toBeCloseTo((20 + 0.5 * 10 + 0.25 * 10 + 0.125 * 10) / 1.875, 9);
    const flat = weightedProfile(24, 4, 1, 0)(x, 24);
    expect(flat[0]).toBeCloseTo(12.5, 9);
  });
});

describe('ensembleForecast', () => {
  it('scores candidates on rolling origins and reports holdout residuals for each', () => {
    const x = Float64Array.from({ length: 24 * 21 }, (_, i) => daily(i));
    const r = ensembleForecast(x, { horizon: 24, periods: [24], origins: 4, top: 3 });
    expect(r.holdoutResiduals).toHaveLength(4);
    expect(r.members).toHaveLength(3);
    for (let j = 0; j < 24; j++) expect(r.forecast[j]).toBeCloseTo(daily(x.length + j), 1);
  });
});

describe('seasonalAr', () => {
  it('recovers a seasonal AR process and forecasts it closely', () => {
    // y_t = 0.5 y_{t−1} + 0.5 y_{t−24} (+ small noise), started from a daily sine
    let seed = 11;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const n = 24 * 30;
    const y = new Float64Array(n + 24);
    for (let t = 0; t < n + 24; t++)
      y[t] = t < 24 ? daily(t) : 0.5 * (y[t - 1] ?? 0) + 0.5 * (y[t - 24] ?? 0) + 0.01 * noise();
    const f = seasonalAr([1, 24], 480)(y.subarray(0, n), 24);
    for (let j = 0; j < 24; j++) expect(Math.abs((f[j] ?? 0) - (y[n + j] ?? 0))).toBeLessThan(0.5);
  });

  it('gives the same forecasts per origin in one pass as one call per origin', () => {
    const x = Float64Array.from(
      { length: 24 * 40 },
      (_, i) => daily(i) * (1 + 0.001 * i) + ((i * 7919) % 13),
    );
    const cuts = [x.length - 48, x.length - 96, x.length];
    const multi = seasonalArCuts([1, 2, 24, 168], 336, 168)(x, 48, cuts);
    const single = seasonalAr([1, 2, 24, 168], 336, 168);
    cuts.forEach((c, k) => {
      const expected = single(x.subarray(0, c), 48);
      for (let j = 0; j < 48; j++) expect(multi[k]?.[j]).toBeCloseTo(expected[j] ?? Number.NaN, 6);
    });
  });
});

describe('inSqrtSpace', () => {
  it('fits on square roots and squares the forecast back, for one origin and several', () => {
    const x = Float64Array.from({ length: 24 * 20 }, (_, i) => daily(i) ** 2);
    const { method, multi } = inSqrtSpace(seasonalAr([1, 24], 240), seasonalArCuts([1, 24], 240));
    const f = method(x, 24);
    // the light ridge keeps the fit a little off an exact sine
    for (let j = 0; j < 24; j++)
      expect(Math.abs(Math.sqrt(f[j] ?? 0) / daily(x.length + j) - 1)).toBeLessThan(0.01);
    const m = multi?.(x, 24, [x.length - 24, x.length]);
    expect(m?.[1]?.[5]).toBeCloseTo(f[5] ?? Number.NaN, 9);
    const withNegative = Float64Array.from(x, (v, i) => (i === 3 ? -1 : v));
    expect(method(withNegative, 24)[0]).toBeCloseTo(
      seasonalAr([1, 24], 240)(withNegative, 24)[0] ?? Number.NaN,
      9,
    );
  });
});
