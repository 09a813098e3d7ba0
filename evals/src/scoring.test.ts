import { describe, expect, it } from 'vitest';
import { choose, passHatK, percentile, precision, recall } from './scoring.js';

describe('pass^k (τ-bench estimator)', () => {
  it('is C(c,k)/C(n,k) averaged over scenarios', () => {
    // scenario 1: 4 trials, 2 passes → C(2,2)/C(4,2) = 1/6; scenario 2: 4 of 4 → 1
    expect(
      passHatK(
        [
          { n: 4, c: 2 },
          { n: 4, c: 4 },
        ],
        2,
      ),
    ).toBeCloseTo((1 / 6 + 1) / 2, 12);
    // k = 1 is the plain pass rate
    expect(
      passHatK(
        [
          { n: 4, c: 3 },
          { n: 4, c: 1 },
        ],
        1,
      ),
    ).toBeCloseTo(0.5, 12);
    // a scenario with fewer passes than k contributes 0
    expect(passHatK([{ n: 5, c: 2 }], 3)).toBe(0);
    expect(passHatK([{ n: 2, c: 2 }], 3)).toBeNull();
  });

  it('decreases with k for a flaky scenario', () => {
    const t = [{ n: 8, c: 6 }];
    const values = [1, 2, 4, 8].map((k) => passHatK(t, k) ?? -1);
    expect(values[0]).toBeCloseTo(0.75, 12);
    expect(values[3]).toBe(0);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] as number);
  });

  it('binomials', () => {
    expect(choose(5, 2)).toBe(10);
    expect(choose(10, 0)).toBe(1);
    expect(choose(3, 4)).toBe(0);
  });
});

describe('percentiles and precision/recall', () => {
  it('nearest-rank percentile', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile([], 50)).toBeNull();
  });

  it('precision and recall from counts; undefined without data', () => {
    expect(precision({ tp: 3, fp: 1, fn: 0 })).toBe(0.75);
    expect(recall({ tp: 3, fp: 0, fn: 3 })).toBe(0.5);
    expect(precision({ tp: 0, fp: 0, fn: 2 })).toBeNull();
  });
});

describe('Markdown leaderboard', () => {
  it('has one column separator per header cell, with and without pass^k', async () => {
    const { buildReport, renderMarkdown } = await import('./report.js');
    for (const repeat of [1, 3]) {
      const report = buildReport('offline', [], { startedAt: '2026-01-01T00:00:00Z', durationMs: 1, repeat });
      const [header, separator] = renderMarkdown([report]).split('\n');
      expect(header?.split('|').length).toBe(separator?.split('|').length);
      expect(header).toContain(repeat > 1 ? 'pass^3' : 'safety violations');
    }
  });
});
