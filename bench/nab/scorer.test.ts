import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNabCorpus, readProfiles, readResultScores } from './corpus.js';
import { calcScoreByThreshold, calcSweepScore, scaledSigmoid, scoreAllProfiles } from './scorer.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nabDir = join(repoRoot, '..', 'shared', 'data', 'nab');

describe('NAB scaled sigmoid', () => {
  it('matches the values documented in sweeper.py', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3)).toBe(-1);
  });
});

describe('NAB sweep on a toy file', () => {
  const cost = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
  // 20 rows, probation = floor(0.15 × 20) = 3 rows; one window on rows 10..13.
  const timestamps = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
  const windows = [['t10', 't13']] as const;

  it('gives full credit to the earliest detection and counts only the best one per window', () => {
    const scores = new Array(20).fill(0);
    scores[10] = 0.9; // first row of the window
    scores[12] = 0.95; // later row, higher score
    const byThreshold = calcScoreByThreshold(
      calcSweepScore({ timestamps, anomalyScores: scores, windows }, cost),
      cost,
    );
    expect(byThreshold[0]).toMatchObject({ threshold: 1.1, score: -1 });
    // threshold 0.95: row 12, position −(13 − 12 + 1)/4 = −0.5
    expect(byThreshold[1]?.score).toBeCloseTo(scaledSigmoid(-0.5) / scaledSigmoid(-1), 12);
    // threshold 0.9: row 10 is earlier: position −(13 − 10 + 1)/4 = −1 → full credit
    expect(byThreshold[2]?.score).toBeCloseTo(1, 12);
  });

  it('ignores probation rows and weights false positives before the first window by −fpWeight', () => {
    const scores = new Array(20).fill(0);
    scores[1] = 1; // probation: ignored
    scores[5] = 1; // false positive before any window
    const byThreshold = calcScoreByThreshold(
      calcSweepScore({ timestamps, anomalyScores: scores, windows }, cost),
      cost,
    );
    expect(byThreshold[1]).toMatchObject({ threshold: 1, fp: 1 });
    expect(byThreshold[1]?.score).toBeCloseTo(-1 - 0.11, 12);
  });
});

describe('NAB scoring reproduces the published reference results on the development split', () => {
  it('finds the shared data (../shared/data/nab relative to the repository root)', () => {
    // Fails loudly rather than skipping: the reproduction is a required check.
    expect(existsSync(nabDir), `missing NAB data at ${nabDir}`).toBe(true);
  });

  const expected: Record<string, Record<string, number>> = {
    ARTime: { standard: 74.76, reward_low_FP_rate: 64.7, reward_low_FN_rate: 80.4 },
    windowedGaussian: { standard: 38.36, reward_low_FP_rate: 19.61, reward_low_FN_rate: 46.16 },
  };

  for (const [detector, byProfile] of Object.entries(expected)) {
    it(`${detector}: all three profiles within ±0.05`, () => {
      const corpus = readNabCorpus(nabDir);
      expect(corpus).toHaveLength(34);
      expect(corpus.reduce((n, s) => n + s.windows.length, 0)).toBe(72);
      const files = corpus.map((s) => ({
        timestamps: s.timestamps,
        windows: s.windows,
        anomalyScores: readResultScores(join(nabDir, 'reference-results'), detector, s),
      }));
      const results = scoreAllProfiles(files, readProfiles(nabDir));
      for (const r of results) {
        const want = byProfile[r.profile];
        expect(want, r.profile).toBeDefined();
        expect(Math.abs(r.normalisedScore - (want ?? Number.NaN)), r.profile).toBeLessThanOrEqual(0.05);
      }
    });
  }
});
