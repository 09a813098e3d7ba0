/**
 * Scores selection/combination strategies from the cache written by `explore.ts`. Selection uses
 * only holdout windows inside the train data; test values are used only for the reported accuracy,
 * split into odd and even positions so that a choice made on one half can be checked on the other.
 *
 *   npx tsx bench/m4/explore-eval.ts --cache /tmp/m4cache
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { naive2 } from '@devops-ai/engines';
import { cleanHistory } from '../../packages/engines/src/forecast/forecaster.js';
import { readM4 } from './data.js';
import { mase, smape } from './metrics.js';

const H = 48;
const ORIGINS = 16;
const SLOTS = ORIGINS + 1;

const { values: args } = parseArgs({
  options: { cache: { type: 'string', default: '/tmp/m4cache' }, exclude: { type: 'string' } },
});
const dir = args.cache ?? '/tmp/m4cache';
const series = readM4('../shared/data/m4/Hourly-train.csv', '../shared/data/m4/Hourly-test.csv');
const cleaned = series.map((s) => cleanHistory(s.train, 168).values);
const ex = args.exclude ? new RegExp(args.exclude) : undefined;
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.f32'))
  .map((f) => f.slice(0, -4))
  .filter((n) => !ex?.test(n))
  .sort();
const cache = names.map((n) => new Float32Array(readFileSync(`${dir}/${n}.f32`).buffer.slice(0)));
const S = series.length;
const C = names.length;
console.log(`${C} candidates, ${S} series`);

// holdout errors: err[c][i][slot] (slot ≥ 1), combined MAE/scale and sMAPE fraction kept apart
const scaleOf = (x: Float64Array) => {
  let s = 0;
  for (let i = 24; i < x.length; i++) s += Math.abs((x[i] ?? 0) - (x[i - 24] ?? 0));
  return s / (x.length - 24) || 1;
};
const scales = cleaned.map(scaleOf);
const fc = (c: number, i: number, s: number) =>
  (cache[c] as Float32Array).subarray((i * SLOTS + s) * H, (i * SLOTS + s + 1) * H);
const maeE = new Float64Array(C * S * SLOTS).fill(Number.NaN);
const smE = new Float64Array(C * S * SLOTS).fill(Number.NaN);
for (let c = 0; c < C; c++)
  for (let i = 0; i < S; i++) {
    const x = cleaned[i] as Float64Array;
    for (let s = 1; s < SLOTS; s++) {
      const f = fc(c, i, s);
      if (!Number.isFinite(f[0] ?? Number.NaN)) continue;
      const cut = x.length - H - 24 * (s - 1);
      let e = 0;
      let sm = 0;
      for (let j = 0; j < H; j++) {
        const a = x[cut + j] ?? 0;
        const v = f[j] ?? 0;
        e += Math.abs(a - v);
        const d = Math.abs(a) + Math.abs(v);
        sm += d > 0 ? (2 * Math.abs(a - v)) / d : 0;
      }
      maeE[(c * S + i) * SLOTS + s] = e / H / (scales[i] ?? 1);
      smE[(c * S + i) * SLOTS + s] = sm / H;
    }
  }
const n2 = series.map((x) => naive2(x.train, H, 24));
const n2s = series.map((x, i) => smape(x.test, n2[i] ?? []));
const n2m = series.map((x, i) => mase(x.train, x.test, n2[i] ?? [], 24));

function score(forecasts: ArrayLike<number>[], subset: (i: number) => boolean) {
  let s = 0;
  let m = 0;
  let a = 0;
  let b = 0;
  series.forEach((x, i) => {
    if (!subset(i)) return;
    const f = forecasts[i] ?? [];
    s += smape(x.test, f);
    m += mase(x.train, x.test, f, 24);
    a += n2s[i] ?? 0;
    b += n2m[i] ?? 0;
  });
  return { smape: s, mase: m, owa: 0.5 * (s / a + m / b) };
}

export interface Strategy {
  readonly name: string;
  readonly slots: readonly number[];
  readonly smapeWeight: number;
  readonly top: number;
  readonly combine: 'median' | 'mean' | 'inverse' | 'trim' | 'inverse2';
  readonly decay?: number;
  /** Segment ends (exclusive) of the horizon, each with its own selection, e.g. [12, 24, 48]. */
  readonly segments?: readonly number[];
  /** Fraction of the mean signed holdout error of the combination added back (bias correction). */
  readonly bias?: number;
}

function segError(c: number, i: number, s: number, from: number, to: number, sw: number): number {
  const x = cleaned[i] as Float64Array;
  const f = fc(c, i, s);
  if (!Number.isFinite(f[0] ?? Number.NaN)) return Number.NaN;
  const cut = x.length - H - 24 * (s - 1);
  let e = 0;
  let sm = 0;
  for (let j = from; j < to; j++) {
    const a = x[cut + j] ?? 0;
    const v = f[j] ?? 0;
    e += Math.abs(a - v);
    const d = Math.abs(a) + Math.abs(v);
    sm += d > 0 ? (2 * Math.abs(a - v)) / d : 0;
  }
  return e / (to - from) / (scales[i] ?? 1) + (sw * sm) / (to - from);
}

function runSegmented(st: Strategy): Float64Array[] {
  const ends = st.segments ?? [H];
  return series.map((x, i) => {
    const out = new Float64Array(H);
    let from = 0;
    for (const to of ends) {
      const errs: Array<{ c: number; e: number }> = [];
      for (let c = 0; c < C; c++) {
        if (!Number.isFinite(fc(c, i, 0)[0] ?? Number.NaN)) continue;
        let e = 0;
        let ok = true;
        for (const s of st.slots) {
          const v = segError(c, i, s, from, to, st.smapeWeight);
          if (!Number.isFinite(v)) ok = false;
          e += v;
        }
        if (ok) errs.push({ c, e });
      }
      errs.sort((a, b) => a.e - b.e);
      const chosen = errs.slice(0, st.top);
      for (let j = from; j < to; j++)
        out[j] = chosen.reduce((a, ch) => a + (fc(ch.c, i, 0)[j] ?? 0), 0) / chosen.length;
      if (st.bias) {
        // mean signed error of the combination over the holdout windows, per segment
        let b = 0;
        let k = 0;
        for (const s of st.slots) {
          const cut = x.train.length - H - 24 * (s - 1);
          for (let j = from; j < to; j++) {
            const comb = chosen.reduce((a, ch) => a + (fc(ch.c, i, s)[j] ?? 0), 0) / chosen.length;
            b += ((cleaned[i] as Float64Array)[cut + j] ?? 0) - comb;
            k++;
          }
        }
        for (let j = from; j < to; j++) out[j] = (out[j] ?? 0) + (st.bias * b) / k;
      }
      from = to;
    }
    for (let j = 0; j < H; j++) out[j] = Math.max(0, out[j] ?? 0);
    return out;
  });
}

/** Relative holdout error of candidate c on series i (error / best error on that series). */
function localErrors(st: Strategy, i: number): Float64Array {
  const out = new Float64Array(C).fill(Number.NaN);
  for (let c = 0; c < C; c++) {
    if (!Number.isFinite(fc(c, i, 0)[0] ?? Number.NaN)) continue;
    let e = 0;
    let w = 0;
    let ok = true;
    st.slots.forEach((s, k) => {
      const m = maeE[(c * S + i) * SLOTS + s] ?? Number.NaN;
      const sm = smE[(c * S + i) * SLOTS + s] ?? Number.NaN;
      if (!Number.isFinite(m)) ok = false;
      const wt = (st.decay ?? 1) ** k;
      e += wt * (m + st.smapeWeight * sm);
      w += wt;
    });
    if (ok && w > 0) out[c] = e / w;
  }
  return out;
}
const SHRINK = Number(process.env.SHRINK ?? '0');
let prior: Float64Array | undefined;
function priorFor(st: Strategy): Float64Array {
  if (prior) return prior;
  // mean relative holdout error per candidate over the odd-position series only (train data only)
  const sum = new Float64Array(C);
  const cnt = new Float64Array(C);
  for (let i = 0; i < S; i += 2) {
    const e = localErrors(st, i);
    const order = [...e.keys()]
      .filter((c) => Number.isFinite(e[c] ?? Number.NaN))
      .sort((a, b) => (e[a] ?? 0) - (e[b] ?? 0));
    order.forEach((c, r) => {
      sum[c] = (sum[c] ?? 0) + r / order.length;
      cnt[c] = (cnt[c] ?? 0) + 1;
    });
  }
  prior = Float64Array.from(sum, (v, c) => (cnt[c] ? v / (cnt[c] ?? 1) : Number.POSITIVE_INFINITY));
  return prior;
}

function runStrategy(st: Strategy): Float64Array[] {
  if (st.segments || st.bias) return runSegmented(st);
  return series.map((x, i) => {
    if (SHRINK > 0) {
      const e = localErrors(st, i);
      const pr = priorFor(st);
      const order = [...e.keys()]
        .filter((c) => Number.isFinite(e[c] ?? Number.NaN))
        .sort((a, b) => (e[a] ?? 0) - (e[b] ?? 0));
      const errs: Array<{ c: number; e: number }> = order.map((c, r) => ({
        c,
        e: r / order.length + SHRINK * (pr[c] ?? 0),
      }));
      errs.sort((a, b) => a.e - b.e);
      const chosen = errs.slice(0, st.top);
      const out = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const col = chosen.map((ch) => fc(ch.c, i, 0)[j] ?? 0);
        out[j] = col.reduce((a, b) => a + b, 0) / col.length;
      }
      return out;
    }
    const errs: Array<{ c: number; e: number }> = [];
    for (let c = 0; c < C; c++) {
      if (!Number.isFinite(fc(c, i, 0)[0] ?? Number.NaN)) continue;
      let e = 0;
      let w = 0;
      let ok = true;
      st.slots.forEach((s, k) => {
        const m = maeE[(c * S + i) * SLOTS + s] ?? Number.NaN;
        const sm = smE[(c * S + i) * SLOTS + s] ?? Number.NaN;
        if (!Number.isFinite(m)) {
          ok = false;
          return;
        }
        const wt = (st.decay ?? 1) ** k;
        e += wt * (m + st.smapeWeight * sm);
        w += wt;
      });
      if (ok && w > 0) errs.push({ c, e: e / w });
    }
    errs.sort((a, b) => a.e - b.e);
    const chosen = errs.slice(0, st.top);
    const out = new Float64Array(H);
    if (chosen.length === 0) return out.fill(x.train[x.train.length - 1] ?? 0);
    for (let j = 0; j < H; j++) {
      const col = chosen.map((ch) => fc(ch.c, i, 0)[j] ?? 0);
      if (st.combine === 'median' || st.combine === 'trim') {
        col.sort((a, b) => a - b);
        if (st.combine === 'median') {
          const m = col.length >> 1;
          out[j] = col.length % 2 ? (col[m] ?? 0) : 0.5 * ((col[m - 1] ?? 0) + (col[m] ?? 0));
        } else {
          const k = Math.floor(col.length * 0.2);
          const t = col.slice(k, col.length - k);
          out[j] = t.reduce((a, b) => a + b, 0) / t.length;
        }
      } else if (st.combine === 'mean') out[j] = col.reduce((a, b) => a + b, 0) / col.length;
      else {
        const pw = st.combine === 'inverse2' ? 2 : 1;
        let s = 0;
        let w = 0;
        chosen.forEach((ch, k) => {
          const wt = 1 / Math.max(ch.e, 1e-9) ** pw;
          s += wt * (col[k] ?? 0);
          w += wt;
        });
        out[j] = s / w;
      }
    }
    const blend = process.env.BLEND;
    if (blend) {
      const [bn, bw] = blend.split(':');
      const bc = names.indexOf(bn ?? '');
      const g = bc >= 0 ? fc(bc, i, 0) : undefined;
      if (g && Number.isFinite(g[0] ?? Number.NaN))
        for (let j = 0; j < H; j++) out[j] = (1 - Number(bw)) * (out[j] ?? 0) + Number(bw) * (g[j] ?? 0);
    }
    const nonneg = x.train.every((v) => v >= 0);
    if (nonneg) for (let j = 0; j < H; j++) out[j] = Math.max(0, out[j] ?? 0);
    return out;
  });
}

const odd = (i: number) => i % 2 === 0; // positions 1, 3, … (1-based)
const even = (i: number) => i % 2 === 1;
const all = () => true;
const fmt = (r: { smape: number; mase: number; owa: number }, k: number) =>
  `${(r.smape / k).toFixed(3)}/${(r.mase / k).toFixed(3)}/${r.owa.toFixed(4)}`;
const kOdd = series.filter((_, i) => odd(i)).length;
const kEven = S - kOdd;
export function report(st: Strategy) {
  const f = runStrategy(st);
  console.log(
    `${st.name.padEnd(44)} all ${fmt(score(f, all), S)}  odd ${fmt(score(f, odd), kOdd)}  even ${fmt(score(f, even), kEven)}`,
  );
}

// oracle and single best
{
  const best = series.map((_, i) => {
    let bi = -1;
    let be = Number.POSITIVE_INFINITY;
    for (let c = 0; c < C; c++) {
      const f = fc(c, i, 0);
      if (!Number.isFinite(f[0] ?? Number.NaN)) continue;
      const x = series[i];
      if (!x) continue;
      const e = smape(x.test, f) / (n2s[i] || 1) + mase(x.train, x.test, f, 24) / (n2m[i] || 1);
      if (e < be) {
        be = e;
        bi = c;
      }
    }
    return Float64Array.from(fc(Math.max(0, bi), i, 0));
  });
  console.log(`oracle all ${fmt(score(best, all), S)}`);
}
const singles = names
  .map((n, c) => ({
    n,
    r: score(
      series.map((x, i) =>
        Number.isFinite(fc(c, i, 0)[0] ?? Number.NaN)
          ? fc(c, i, 0)
          : new Float64Array(H).fill(x.train[x.train.length - 1] ?? 0),
      ),
      all,
    ),
  }))
  .sort((a, b) => a.r.owa - b.r.owa)
  .slice(0, 12);
for (const s of singles) console.log(`single ${s.n.padEnd(36)} ${fmt(s.r, S)}`);

const spec = process.env.STRATS;
const strategies: Strategy[] = spec
  ? (JSON.parse(spec) as Strategy[])
  : [
      { name: 'base: slots1,3 sw10 top9 median', slots: [1, 3], smapeWeight: 10, top: 9, combine: 'median' },
      {
        name: 'slots1..10 sw10 top9 median',
        slots: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        smapeWeight: 10,
        top: 9,
        combine: 'median',
      },
      {
        name: 'slots1,3,5,7,9 sw10 top9 median',
        slots: [1, 3, 5, 7, 9],
        smapeWeight: 10,
        top: 9,
        combine: 'median',
      },
      {
        name: 'slots1..10 sw10 top9 inverse',
        slots: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        smapeWeight: 10,
        top: 9,
        combine: 'inverse',
      },
      {
        name: 'slots1..10 sw10 top15 inverse2',
        slots: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        smapeWeight: 10,
        top: 15,
        combine: 'inverse2',
      },
      {
        name: 'slots1..10 sw10 top9 trim',
        slots: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        smapeWeight: 10,
        top: 9,
        combine: 'trim',
      },
      {
        name: 'slots1..10 sw10 top5 mean',
        slots: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        smapeWeight: 10,
        top: 5,
        combine: 'mean',
      },
    ];
for (const st of strategies) report(st);
if (process.env.FREQ) {
  const st = strategies[0] as Strategy;
  const freq = new Map<string, number>();
  for (let i = 0; i < S; i += 2) {
    const e = localErrors(st, i);
    const order = [...e.keys()]
      .filter((c) => Number.isFinite(e[c] ?? Number.NaN))
      .sort((a, b) => (e[a] ?? 0) - (e[b] ?? 0));
    for (const c of order.slice(0, st.top)) freq.set(names[c] ?? '', (freq.get(names[c] ?? '') ?? 0) + 1);
  }
  const fam = new Map<string, number>();
  for (const [k, v] of freq) {
    const f = k.replace(/[0-9.,+]+/g, '#');
    fam.set(f, (fam.get(f) ?? 0) + v);
  }
  console.log(
    [...fam]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}:${v}`)
      .join('  '),
  );
  console.log(`never chosen (odd half): ${names.filter((n) => !freq.has(n)).length} of ${C}`);
  console.log(names.filter((n) => !freq.has(n)).join(' '));
}
