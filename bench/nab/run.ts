/**
 * NAB benchmark: runs the streaming detector over a NAB-layout folder, writes NAB result files and
 * prints the three normalised profile scores and the throughput.
 *
 *   npm run bench:nab -- --data ../shared/data/nab --out /tmp/nab-results [--detector devopsAi] [--per-file]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAnomalyDetector } from '@devops-ai/engines';
import { readNabCorpus, readProfiles } from './corpus.js';
import { calcScoreByThreshold, corpusSweepPoints, scoreAllProfiles } from './scorer.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    detector: { type: 'string', default: 'devopsAi' },
    'per-file': { type: 'boolean', default: false },
  },
});
if (!args.data || !args.out) {
  console.error(
    'usage: npm run bench:nab -- --data <nab dir> --out <results dir> [--detector name] [--per-file]',
  );
  process.exit(2);
}
const detectorName = args.detector ?? 'devopsAi';
const corpus = readNabCorpus(args.data);
const profiles = readProfiles(args.data);

/**
 * One pass of the detector over every file. Detection for all files comes first and the result files
 * after: writing them makes garbage that would otherwise be collected inside a timed loop.
 */
function detectAll() {
  let points = 0;
  let elapsedNs = 0n;
  // CPU time of this process during the detector loops: unlike wall time, not inflated by other load.
  let cpuMicros = 0;
  const files = corpus.map((series) => {
    const scores = new Float64Array(series.values.length);
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const detector = createAnomalyDetector();
    for (let i = 0; i < series.values.length; i++) {
      scores[i] = detector.update(series.values[i] ?? Number.NaN, series.timestampsMs[i]);
    }
    elapsedNs += process.hrtime.bigint() - t0;
    const c1 = process.cpuUsage(c0);
    cpuMicros += c1.user + c1.system;
    points += series.values.length;
    return { series, timestamps: series.timestamps, windows: series.windows, anomalyScores: scores };
  });
  return { files, points, seconds: Number(elapsedNs) / 1e9, cpuSeconds: cpuMicros / 1e6 };
}
// Two passes: the first includes the JIT's warm-up (and a CPU that has been idle), the second is the
// steady state of a long-running process. Both are printed; the scores are the same.
const first = detectAll();
const warm = detectAll();
const { files, points } = warm;
for (const { series, anomalyScores: scores } of files) {
  const dir = join(args.out ?? '', detectorName, series.category);
  mkdirSync(dir, { recursive: true });
  const lines = ['timestamp,value,anomaly_score,label'];
  for (let i = 0; i < series.values.length; i++) {
    lines.push(`${series.timestamps[i]},${series.values[i]},${scores[i]},${series.labels[i]}`);
  }
  writeFileSync(join(dir, `${detectorName}_${series.fileName}`), `${lines.join('\n')}\n`);
}

const results = scoreAllProfiles(files, profiles);
console.log(`NAB ${detectorName}: ${corpus.length} files, ${points} points`);
for (const r of results) {
  console.log(
    `  ${r.profile.padEnd(20)} ${r.normalisedScore.toFixed(2).padStart(6)}  (threshold ${r.threshold.toFixed(4)}, raw ${r.rawScore.toFixed(2)})`,
  );
}
for (const [label, pass] of [
  ['first pass', first],
  ['second pass', warm],
] as const)
  console.log(
    `  throughput, ${label.padEnd(11)} ${Math.round(points / pass.seconds)} points/s wall (${pass.seconds.toFixed(3)} s), ${Math.round(points / pass.cpuSeconds)} points/s CPU (${pass.cpuSeconds.toFixed(3)} s), one core`,
  );

if (args['per-file']) {
  const standard = profiles.standard ?? { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
  const threshold = results.find((r) => r.profile === 'standard')?.threshold ?? 1;
  for (const f of files) {
    const byT = calcScoreByThreshold(corpusSweepPoints([f], standard), standard);
    let row = byT[0];
    for (const s of byT) if (s.threshold >= threshold) row = s;
    console.log(
      `  ${f.series.relativePath.padEnd(60)} windows ${f.windows.length}  score ${row?.score.toFixed(2).padStart(6)}  fp ${row?.fp}`,
    );
  }
}
