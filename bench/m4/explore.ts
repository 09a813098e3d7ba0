/**
 * Research harness for the M4 Hourly forecaster (not part of the benchmark): caches every candidate
 * method's forecasts at the test origin and at rolling holdout origins inside the train data, then
 * scores selection/combination strategies from the cache. Holdout errors only use train values;
 * test values are only used to report the final accuracy, on odd and even positions separately.
 *
 *   npx tsx bench/m4/explore.ts --cache /tmp/m4cache [--only <regex>]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { naive2 } from '@devops-ai/engines';
import {
  type Candidate,
  defaultCandidates,
  extraCandidates,
} from '../../packages/engines/src/forecast/ensemble.js';
import { cleanHistory } from '../../packages/engines/src/forecast/forecaster.js';
import { readM4 } from './data.js';
import { mase, smape } from './metrics.js';

const H = 48;
/** Holdout cuts: n − 48 − 24·k, k = 0 … ORIGINS − 1; slot 0 is the test origin (cut = n). */
export const ORIGINS = 16;

const { values: args } = parseArgs({
  options: {
    cache: { type: 'string', default: '/tmp/m4cache' },
    only: { type: 'string' },
    shard: { type: 'string' },
  },
});
const dir = args.cache ?? '/tmp/m4cache';
mkdirSync(dir, { recursive: true });
const series = readM4('../shared/data/m4/Hourly-train.csv', '../shared/data/m4/Hourly-test.csv');
const cleaned = series.map((s) => cleanHistory(s.train, 168).values);

const pool: Candidate[] = [...defaultCandidates([24, 168]), ...extraCandidates([24, 168])];
const re = args.only ? new RegExp(args.only) : undefined;
const slots = ORIGINS + 1;
let done = 0;
const t0 = performance.now();
for (const c of pool) {
  if (re && !re.test(c.name)) continue;
  const file = `${dir}/${c.name}.f32`;
  if (existsSync(file)) continue;
  const buf = new Float32Array(series.length * slots * H).fill(Number.NaN);
  series.forEach((_, i) => {
    const x = cleaned[i] as Float64Array;
    const positive = x.every((v) => v > 0);
    if (c.log === true && !positive) return;
    const input = c.log === true ? x.map(Math.log) : x;
    for (let s = 0; s < slots; s++) {
      const cut = s === 0 ? x.length : x.length - H - 24 * (s - 1);
      if (cut < c.needs) continue;
      const f = c.method(input.subarray(0, cut), H);
      for (let j = 0; j < H; j++) {
        const v = f[j] ?? Number.NaN;
        buf[(i * slots + s) * H + j] = c.log === true ? Math.exp(v) : v;
      }
    }
  });
  writeFileSync(file, Buffer.from(buf.buffer));
  done++;
}
console.log(`computed ${done} candidates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// keep the type checker quiet about unused helpers when only computing
void readFileSync;
void naive2;
void smape;
void mase;
