/**
 * NAB experiment harness (development aid, not the benchmark): runs the detector with a config given
 * as JSON, prints the three profile scores, per-window diagnostics and a leave-one-category-out check
 * (threshold chosen on the other categories, applied to the held-out one).
 *
 *   npx tsx bench/nab/experiment.ts --data ../shared/data/nab [--config '{"…":…}'] [--windows] [--loco] [--perturb]
 *
 * --perturb reruns the corpus with each numeric setting moved one step either side of its default
 * and prints the spread of the three scores: the sensitivity to expect on unseen series.
 * --reference <detector> scores a published detector's result files (e.g. ARTime) the same way, for
 * a window-by-window comparison.
 * --align j feeds j copies of each file's first point (one sampling step apart, before it; their scores
 * are dropped) so that the coarse view's blocks start j points later relative to the data: where a
 * series starts must not matter (it also moves the warm-up by j points).
 */
import { parseArgs } from 'node:util';
import { createAnomalyDetector } from '@devops-ai/engines';
import { readNabCorpus, readProfiles, readResultScores } from './corpus.js';
import { calcScoreByThreshold, corpusSweepPoints, type ScoredFile, scoreAllProfiles } from './scorer.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/nab' },
    config: { type: 'string', default: '{}' },
    windows: { type: 'boolean', default: false },
    loco: { type: 'boolean', default: false },
    perturb: { type: 'boolean', default: false },
    align: { type: 'string', default: '0' },
    reference: { type: 'string' },
  },
});
const corpus = readNabCorpus(args.data ?? '');
const profiles = readProfiles(args.data ?? '');
const config = JSON.parse(args.config ?? '{}') as Record<string, unknown>;
const align = Number(args.align ?? 0);

let points = 0;
let ns = 0n;
function runCorpus(cfg: Record<string, unknown>) {
  return corpus.map((series) => {
    const scores = new Float64Array(series.values.length);
    const t0 = process.hrtime.bigint();
    const d = createAnomalyDetector(cfg);
    const t0ms = series.timestampsMs[0] ?? 0;
    const stepMs = (series.timestampsMs[1] ?? t0ms) - t0ms;
    for (let j = align; j > 0; j--) d.update(series.values[0] ?? 0, t0ms - j * stepMs);
    for (let i = 0; i < series.values.length; i++)
      scores[i] = d.update(series.values[i] ?? Number.NaN, series.timestampsMs[i]);
    ns += process.hrtime.bigint() - t0;
    points += series.values.length;
    return { series, timestamps: series.timestamps, windows: series.windows, anomalyScores: scores };
  });
}
// --reference <detector>: score a published detector's result files (nab/reference-results) instead.
const files = args.reference
  ? corpus.map((series) => ({
      series,
      timestamps: series.timestamps,
      windows: series.windows,
      anomalyScores: readResultScores(`${args.data}/reference-results`, args.reference as string, series),
    }))
  : runCorpus(config);
const res = scoreAllProfiles(files, profiles);
console.log(
  `${res.map((r) => r.normalisedScore.toFixed(2)).join(' / ')}${align ? ` (align ${align})` : ''}  thr ${res[0]?.threshold.toFixed(4)} tp ${res[0]?.tp} fp ${res[0]?.fp}  ${Math.round(points / (Number(ns) / 1e9))} pts/s  ${args.config}`,
);

if (args.windows) {
  const thr = res[0]?.threshold ?? 1;
  for (const f of files) {
    const ts = f.timestamps;
    const probation = Math.min(Math.floor(0.15 * ts.length), 750);
    const marks: string[] = [];
    const inWin = new Int32Array(ts.length).fill(-1);
    f.windows.forEach(([a, b], k) => {
      const ia = ts.indexOf(a);
      const ib = ts.indexOf(b);
      for (let i = ia; i <= ib; i++) inWin[i] = k;
    });
    const firstDet = f.windows.map(() => -1);
    let fps = 0;
    for (let i = probation; i < ts.length; i++) {
      if ((f.anomalyScores[i] ?? 0) < thr) continue;
      const w = inWin[i] ?? -1;
      if (w >= 0) {
        if (firstDet[w] === -1) firstDet[w] = i;
      } else {
        fps++;
        marks.push(`fp@${i}`);
      }
    }
    const wins = f.windows.map(([a, b], k) => {
      const ia = ts.indexOf(a);
      const ib = ts.indexOf(b);
      const det = firstDet[k] ?? -1;
      let mx = 0;
      let at = -1;
      for (let i = ia; i <= ib; i++)
        if ((f.anomalyScores[i] ?? 0) > mx) {
          mx = f.anomalyScores[i] ?? 0;
          at = i;
        }
      return det < 0
        ? `MISS[${ia}-${ib}] max ${mx.toFixed(3)}@${at}`
        : `hit[${ia}-${ib}]@${(((det - ia) / (ib - ia + 1)) * 100).toFixed(0)}%`;
    });
    console.log(
      `${f.series.relativePath.padEnd(58)} n=${ts.length} ${wins.join(' ')} fp=${fps} ${marks.slice(0, 8).join(' ')}`,
    );
  }
}

if (args.loco) {
  const cost = profiles.standard ?? { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
  const cats = [...new Set(corpus.map((s) => s.category))];
  for (const cat of cats) {
    const train: ScoredFile[] = files.filter((f) => f.series.category !== cat);
    const test: ScoredFile[] = files.filter((f) => f.series.category === cat);
    const byT = calcScoreByThreshold(corpusSweepPoints(train, cost), cost);
    let best = byT[0];
    for (const s of byT) if (best === undefined || s.score > best.score) best = s;
    const thr = best?.threshold ?? 1;
    const testT = calcScoreByThreshold(corpusSweepPoints(test, cost), cost);
    let row = testT[0];
    for (const s of testT) if (s.threshold >= thr) row = s;
    let oracle = testT[0];
    for (const s of testT) if (oracle === undefined || s.score > oracle.score) oracle = s;
    const nw = test.reduce((n, f) => n + f.windows.length, 0);
    const norm = (s: number) => (nw > 0 ? (100 * (s + nw)) / (2 * nw) : s);
    console.log(
      `  loco ${cat.padEnd(22)} thr ${thr.toFixed(4)} held-out ${norm(row?.score ?? 0).toFixed(2)} (own best ${norm(oracle?.score ?? 0).toFixed(2)})`,
    );
  }
}

if (args.perturb) {
  /** One step either side of each default (multiplicative for rates and decays' complements). */
  const steps: Array<[string, number, number]> = [
    ['fastAlpha', 0.6, 0.9],
    ['slowAlpha', 0.0035, 0.007],
    ['smoothAlpha', 0.07, 0.14],
    ['clip', 3, 5],
    ['recordDecay', 0.99985, 0.99993],
    ['minRecord', 5, 7],
    ['shapeSegments', 6, 10],
    ['shapeSegmentPoints', 3, 5],
    ['shapeHistory', 768, 1536],
    ['refractoryDecay', 0.9985, 0.9993],
    ['debounce', 2, 5],
    ['smoothCap', 4, 8],
    ['viewWarmup', 70, 150],
  ];
  const rows: number[][] = [];
  for (const [key, lo, hi] of steps) {
    for (const v of [lo, hi]) {
      const r = scoreAllProfiles(runCorpus({ ...config, [key]: v }), profiles).map((p) => p.normalisedScore);
      rows.push(r);
      console.log(`  ${key}=${v}`.padEnd(30), r.map((x) => x.toFixed(2)).join(' / '));
    }
  }
  const stat = (k: number) => {
    const xs = rows.map((r) => r[k] ?? 0).sort((a, b) => a - b);
    const med = xs[Math.floor(xs.length / 2)] ?? 0;
    return `${(xs[0] ?? 0).toFixed(2)}–${(xs[xs.length - 1] ?? 0).toFixed(2)} (median ${med.toFixed(2)})`;
  };
  console.log(`  perturbed ${rows.length} runs: standard ${stat(0)}, low FP ${stat(1)}, low FN ${stat(2)}`);
}
