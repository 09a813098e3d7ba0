import { describe, expect, it } from 'vitest';
import { cleanHistory, ForecastError, forecast } from './forecaster.js';

const sine = (i: number) => 100 + 30 * Math.sin((2 * Math.PI * i) / 24);

function mape(actual: number[], f: number[]): number {
  return (100 * actual.reduce((s, a, i) => s + Math.abs(a - (f[i] ?? 0)) / Math.abs(a), 0)) / actual.length;
}

describe('forecast', () => {
  it('forecasts a pure daily sine within a small error', () => {
    const history = Array.from({ length: 24 * 14 }, (_, i) => sine(i));
    const actual = Array.from({ length: 48 }, (_, h) => sine(24 * 14 + h));
    const r = forecast(history, { horizon: 48, seasonalities: [24] });
    expect(mape(actual, r.mean)).toBeLessThan(1);
    expect(r.seasonalities).toEqual([24]);
  });

  it('follows a weekly pattern on top of the daily one', () => {
    const f = (i: number) => sine(i) * (Math.floor(i / 24) % 7 >= 5 ? 0.5 : 1);
    const n = 24 * 7 * 5;
    const history = Array.from({ length: n }, (_, i) => f(i));
    const actual = Array.from({ length: 48 }, (_, h) => f(n + h));
    const r = forecast(history, { horizon: 48, seasonalities: [24, 168] });
    expect(mape(actual, r.mean)).toBeLessThan(2);
  });

  it('forecasts a weekend as a weekend from two weeks of hourly history', () => {
    // Weekdays at full load, weekends at 40%, some noise; the history runs from a Saturday to a
    // Friday at midnight.
    let seed = 11;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const f = (i: number) => sine(i) * ((Math.floor(i / 24) + 5) % 7 >= 5 ? 0.4 : 1) + 4 * noise();
    const n = 24 * 7 * 2;
    const series = Array.from({ length: n + 48 }, (_, i) => f(i));
    const r = forecast(series.slice(0, n), { horizon: 48, seasonalities: [24, 168] });
    expect(r.seasonalities).toEqual([24, 168]);
    // Daily methods alone would forecast a third weekday (about 100 on average, 2.5x the weekend).
    expect(mape(series.slice(n), r.mean)).toBeLessThan(15);
  });

  it('forecasts a new service from two days of history: the daily cycle, with intervals that are not zero', () => {
    let seed = 3;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const series = Array.from({ length: 24 * 4 }, (_, i) => sine(i) + 6 * noise());
    const history = series.slice(0, 48);
    const actual = series.slice(48);
    const r = forecast(history, { horizon: 48, seasonalities: [24, 168] });
    expect(r.seasonalities).toEqual([24]);
    // A flat forecast (the mean) is off by about 19% on average here; the cycle brings it near the noise.
    const flat = mape(actual, new Array<number>(48).fill(100));
    expect(flat).toBeGreaterThan(15);
    expect(mape(actual, r.mean)).toBeLessThan(flat / 2);
    // Before, no holdout window fitted and the interval had zero width.
    for (let j = 0; j < 48; j++) expect((r.upper[j] ?? 0) - (r.lower[j] ?? 0)).toBeGreaterThan(0);
    const covered = actual.filter((a, j) => a >= (r.lower[j] ?? 0) && a <= (r.upper[j] ?? 0)).length;
    expect(covered).toBeGreaterThanOrEqual(36);
    // The second day's interval is wider than the first's (past the scored part of the window).
    expect((r.upper[47] ?? 0) - (r.lower[47] ?? 0)).toBeGreaterThan((r.upper[0] ?? 0) - (r.lower[0] ?? 0));
  });

  it('gives intervals on a history shorter than the horizon and than any cycle', () => {
    const history = Array.from({ length: 30 }, (_, i) => 50 + (i % 3) - 1);
    const r = forecast(history, { horizon: 48, seasonalities: [24] });
    expect(r.seasonalities).toEqual([]);
    expect(Math.abs((r.mean[0] ?? 0) - 50)).toBeLessThan(2);
    for (let j = 0; j < 48; j++) expect((r.upper[j] ?? 0) - (r.lower[j] ?? 0)).toBeGreaterThan(0);
  });

  it('does not force a daily cycle on two days of a series without one', () => {
    // A slow random walk: last-value methods should win the partial holdout window.
    let seed = 5;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    let level = 200;
    const series = Array.from({ length: 96 }, () => (level += 2 * noise()));
    const r = forecast(series.slice(0, 48), { horizon: 48, seasonalities: [24] });
    const last = series[47] ?? 0;
    const snaive = [...series.slice(24, 48), ...series.slice(24, 48)];
    const err = (f: ArrayLike<number>) =>
      series.slice(48).reduce((s, a, j) => s + Math.abs(a - (f[j] ?? 0)), 0);
    expect(err(r.mean)).toBeLessThan(err(snaive));
    expect(Math.abs((r.mean[0] ?? 0) - last)).toBeLessThan(5);
  });

  it('continues a linear trend', () => {
    const history = Array.from(
      { length: 24 * 10 },
      (_, i) => 50 + 0.5 * i + 5 * Math.sin((2 * Math.PI * i) / 24),
    );
    const r = forecast(history, { horizon: 24, seasonalities: [24] });
    const lastLevel = 50 + 0.5 * (24 * 10 - 1);
    expect(r.mean[23] ?? 0).toBeGreaterThan(lastLevel);
  });

  it('gives intervals that contain the point forecast and widen with noise', () => {
    let seed = 7;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const quiet = Array.from({ length: 24 * 14 }, (_, i) => sine(i) + noise());
    const loud = Array.from({ length: 24 * 14 }, (_, i) => sine(i) + 20 * noise());
    const a = forecast(quiet, { horizon: 24, seasonalities: [24], level: 0.9 });
    const b = forecast(loud, { horizon: 24, seasonalities: [24], level: 0.9 });
    for (let j = 0; j < 24; j++) {
      expect(a.lower[j] ?? 0).toBeLessThanOrEqual(a.mean[j] ?? 0);
      expect(a.upper[j] ?? 0).toBeGreaterThanOrEqual(a.mean[j] ?? 0);
    }
    const width = (r: typeof a) => r.upper.reduce((s, u, j) => s + u - (r.lower[j] ?? 0), 0);
    expect(width(b)).toBeGreaterThan(3 * width(a));
  });

  it('is not thrown off by an outage of zeros in the history', () => {
    const history = Array.from({ length: 24 * 14 }, (_, i) => sine(i));
    for (let i = 24 * 12 + 3; i < 24 * 13 + 10; i++) history[i] = 0;
    const actual = Array.from({ length: 24 }, (_, h) => sine(24 * 14 + h));
    const r = forecast(history, { horizon: 24, seasonalities: [24] });
    expect(r.cleaned.length).toBe(31);
    expect(mape(actual, r.mean)).toBeLessThan(5);
  });

  it('without a full seasonal cycle twice over, still chooses level/trend methods on holdouts and gives a real interval', () => {
    // 30 hours of a daily cycle at hourly steps: too short for the daily period (two cycles).
    const history = Array.from({ length: 30 }, (_, i) => sine(i));
    const r = forecast(history, { horizon: 6, seasonalities: [24] });
    expect(r.seasonalities).toEqual([]);
    expect(r.members.length).toBeGreaterThan(0);
    for (let j = 0; j < 6; j++) expect((r.upper[j] ?? 0) - (r.lower[j] ?? 0)).toBeGreaterThan(0);
    // a level near the recent values, not the series' mean of all time or a runaway trend
    const last = history[history.length - 1] ?? 0;
    expect(Math.abs((r.mean[0] ?? 0) - last)).toBeLessThan(20);
  });

  it('rejects bad input with coded errors', () => {
    expect(() => forecast([1, 2], { horizon: 3 })).toThrow(ForecastError);
    expect(() => forecast([1, 2, 3, 4], { horizon: 0 })).toThrow();
  });
});

describe('cleanHistory', () => {
  it('fills missing values from the previous cycle and clips an isolated spike', () => {
    const x = Array.from({ length: 24 * 6 }, (_, i) => sine(i));
    x[24 * 4 + 5] = Number.NaN;
    x[24 * 5 + 7] = 10_000;
    const { values, cleaned } = cleanHistory(x, 24);
    expect(cleaned).toEqual([24 * 4 + 5, 24 * 5 + 7]);
    expect(values[24 * 4 + 5]).toBeCloseTo(sine(24 * 3 + 5), 9);
    expect(values[24 * 5 + 7]).toBeCloseTo(sine(24 * 4 + 7), 9);
  });
});
