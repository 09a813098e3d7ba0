/**
 * Traffic forecasting benchmark on real traces with a calendar (M4 Hourly has none): the NASA-HTTP
 * requests and the Alibaba, Azure and Google datacenter CPU traces, averaged to hourly. From every
 * day boundary with at least two weeks of history (two days on the 8-day Alibaba trace) the
 * forecaster predicts the next 48 hours from the past only, with daily and weekly seasonality; test
 * windows that contain NASA's outage are skipped. Prints, per trace, the mean WAPE (mean absolute
 * error / mean of the actual window) of the forecaster and of seasonal naive at one day and at one
 * week, the 90% interval's coverage and the runtime (forecast and burst prediction together); then,
 * from the same origins and the same forecasts, how burst
 * prediction (load above 1.3 × the last week's median) fares: hours predicted inside a burst
 * window against hours that crossed the threshold, and the windows' stated confidence against
 * how often the load really crossed the threshold inside them; last, the anomaly detector over each
 * trace at its own resolution: alerts (score ≥ 0.55, the tools' default) per day after the first
 * 15%, and how long after it starts NASA's outage (requests at exactly zero) is flagged. A "short history"
 * table forecasts from the same origins with only the last 2 or 3 days (a new service). A capacity
 * table plans the next 24 hours as the chat's /capacity does (5-minute forecasts, 1-hour windows, the
 * 90% upper bound at 70% of the per-pod capacity) and counts the hours planned below what their peak
 * needed, against yesterday's need and the last day's maximum.
 *
 *   npm run bench:traffic [-- --data ../shared/data/traffic]
 */
import { parseArgs } from 'node:util';
import {
  createAnomalyDetector,
  describeAnomalyReason,
  forecast,
  peakFactor,
  planCapacity,
  predictBursts,
} from '@devops-ai/engines';
import { readTraces } from '../hpa/traces.js';

const H = 48;
const { values: args } = parseArgs({
  options: { data: { type: 'string', default: '../shared/data/traffic' } },
});

/** Means (or, with `peak`, maxima) of successive complete blocks of `seconds` of a trace. */
function blocks(load: readonly number[], stepSeconds: number, seconds: number, peak = false): number[] {
  const k = Math.round(seconds / stepSeconds);
  const out: number[] = [];
  for (let i = 0; i + k <= load.length; i += k) {
    let s = 0;
    let m = 0;
    for (let j = i; j < i + k; j++) {
      s += load[j] ?? 0;
      m = Math.max(m, load[j] ?? 0);
    }
    out.push(peak ? m : s / k);
  }
  return out;
}
const hourly = (load: readonly number[], stepSeconds: number) => blocks(load, stepSeconds, 3600);

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
const wape = (f: ArrayLike<number>, a: readonly number[]) =>
  a.reduce((s, v, i) => s + Math.abs(v - (f[i] ?? 0)), 0) /
  Math.max(
    1e-12,
    a.reduce((s, v) => s + v, 0),
  );

/** Seasonal naive at one day over the horizon: the last day, repeated. */
const sNaive24 = (x: readonly number[], cut: number) => {
  const day1 = x.slice(cut - 24, cut);
  return day1.concat(day1);
};
/** Points of `actual` inside the forecast's interval. */
const inside = (f: { lower: ArrayLike<number>; upper: ArrayLike<number> }, actual: readonly number[]) =>
  actual.filter((v, j) => v >= (f.lower[j] ?? 0) && v <= (f.upper[j] ?? 0)).length;

const traces = readTraces(args.data ?? '../shared/data/traffic');
const hourlyLoad = new Map(traces.map((t) => [t, hourly(t.load, t.stepSeconds)]));
const forecastRows: string[] = [];
const burstRows: string[] = [];
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '—');
for (const t of traces) {
  const x = hourlyLoad.get(t) ?? [];
  const firstDay = x.length >= 24 * 21 ? 14 : 2;
  const ours: number[] = [];
  const sn24: number[] = [];
  const sn168: number[] = [];
  let covered = 0;
  let points = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let windows = 0;
  let hit = 0;
  let conf = 0;
  const t0 = performance.now();
  for (let day = firstDay; day * 24 + H <= x.length; day++) {
    const cut = day * 24;
    const actual = x.slice(cut, cut + H);
    if (actual.some((v) => v === 0)) continue; // an outage: nothing to forecast against
    // Burst prediction forecasts the history itself (same options as `forecast`) and returns it.
    const p = predictBursts(x.slice(0, cut), {
      lastTimestampMs: (cut - 1) * 3_600_000,
      stepSeconds: 3600,
      horizon: H,
      seasonalities: [24, 168],
      level: 0.9,
    });
    const f = p.forecast;
    ours.push(wape(f.mean, actual));
    sn24.push(wape(sNaive24(x, cut), actual));
    covered += inside(f, actual);
    points += H;
    if (cut >= 168) sn168.push(wape(x.slice(cut - 168, cut - 168 + H), actual));
    const predicted = new Array<boolean>(H).fill(false);
    for (const b of p.bursts) {
      const from = Math.round(b.startMs / 3_600_000) - cut;
      const to = Math.round(b.endMs / 3_600_000) - cut;
      for (let j = from; j < to; j++) predicted[j] = true;
      windows++;
      conf += b.confidence;
      if (actual.slice(from, to).some((v) => v > p.threshold)) hit++;
    }
    actual.forEach((v, j) => {
      const over = v > p.threshold;
      if (over && predicted[j]) tp++;
      else if (predicted[j]) fp++;
      else if (over) fn++;
    });
  }
  const ms = performance.now() - t0;
  forecastRows.push(
    `${t.name.padEnd(22)}${String(ours.length).padStart(7)}  ${mean(ours).toFixed(3).padStart(9)}  ${mean(sn24).toFixed(3).padStart(8)}  ${(sn168.length ? mean(sn168).toFixed(3) : '—').padStart(9)}  ${(covered / Math.max(1, points)).toFixed(3).padStart(12)}  ${(ms / 1000).toFixed(1).padStart(6)} s`,
  );
  burstRows.push(
    `${t.name.padEnd(22)}${String(tp + fn).padStart(10)}  ${ratio(tp, tp + fp).padStart(9)}  ${ratio(tp, tp + fn).padStart(6)}  ${String(windows).padStart(7)}  ${ratio(conf, windows).padStart(15)}  ${ratio(hit, windows).padStart(11)}`,
  );
}
console.log(`horizon ${H} h, origins at every day boundary; WAPE = Σ|error| / Σ actual (lower is better)`);
console.log('trace                 origins  devops-ai  sNaive24  sNaive168  90% coverage  runtime');
for (const row of forecastRows) console.log(row);
// A new service: the same origins, but only the last 2 or 3 days of history.
console.log('\nshort history: only the last 2 or 3 days before each origin (a new service), next 48 h, WAPE');
console.log(
  'trace                 origins  2 days: devops-ai  sNaive24  coverage  3 days: devops-ai  sNaive24  coverage',
);
for (const t of traces) {
  const x = hourlyLoad.get(t) ?? [];
  const cols: string[] = [];
  let origins = 0;
  for (const days of [2, 3]) {
    const ours: number[] = [];
    const sn24: number[] = [];
    let covered = 0;
    let points = 0;
    for (let day = 3; day * 24 + H <= x.length; day++) {
      const cut = day * 24;
      const actual = x.slice(cut, cut + H);
      if (actual.some((v) => v === 0) || x.slice(cut - days * 24, cut).some((v) => v === 0)) continue;
      const f = forecast(x.slice(cut - days * 24, cut), { horizon: H, seasonalities: [24, 168], level: 0.9 });
      ours.push(wape(f.mean, actual));
      sn24.push(wape(sNaive24(x, cut), actual));
      covered += inside(f, actual);
      points += H;
    }
    origins = ours.length;
    cols.push(
      `${mean(ours).toFixed(3).padStart(17)}  ${mean(sn24).toFixed(3).padStart(8)}  ${(covered / Math.max(1, points)).toFixed(3).padStart(8)}`,
    );
  }
  console.log(`${t.name.padEnd(22)}${String(origins).padStart(7)}  ${cols.join('  ')}`);
}
console.log('\nbursts: load above 1.3 x the median of the last week (or the history), next 48 h');
console.log('trace                 hours over  precision  recall  windows  mean confidence  windows hit');
for (const row of burstRows) console.log(row);

// Capacity plans as the chat's /capacity makes them: a 24-hour forecast at 5-minute steps from up to
// two weeks of history, replicas per 1-hour window from its 90% upper bound at 70% of the per-pod
// capacity; against what each hour's peak at the trace's own resolution needed. Two plans without a
// forecast for comparison: the same hour yesterday's need, and the last day's largest need all day.
const TARGET = 0.7;
console.log(
  `\ncapacity plans: next 24 h from 5-minute forecasts, replicas per hour at ${TARGET * 100}% of the per-pod capacity, against each hour's peak need at the trace's own resolution`,
);
console.log('(short = share of hours planned below their need; ratio = planned / needed replica-hours)');
console.log(
  "trace                 origins  forecast upper    × peak factor            yesterday's need  last day's max   runtime",
);
console.log(
  '                                short ratio      short ratio factor      short ratio      short ratio',
);
for (const t of traces) {
  const k5 = Math.round(300 / t.stepSeconds);
  const x = blocks(t.load, t.stepSeconds, 300);
  const kh = Math.round(3600 / t.stepSeconds);
  const need = blocks(t.load, t.stepSeconds, 3600, true).map((p) =>
    Math.max(1, Math.ceil(p / (t.capacityPerPod * TARGET) - 1e-9)),
  );
  const acc = () => ({ short: 0, hours: 0, planned: 0, needed: 0 });
  const plans = { upper: acc(), peak: acc(), yesterday: acc(), dayMax: acc() };
  const factors: number[] = [];
  const tally = (plan: readonly number[], needed: readonly number[], a: ReturnType<typeof acc>) =>
    needed.forEach((n, j) => {
      const p = plan[j] ?? 0;
      if (p < n) a.short++;
      a.hours++;
      a.planned += p;
      a.needed += n;
    });
  let origins = 0;
  const t0 = performance.now();
  const firstDay = x.length >= 288 * 21 ? 14 : 2;
  for (let day = firstDay; (day + 1) * 288 <= x.length; day++) {
    const cut = day * 288;
    if (x.slice(cut, cut + 288).some((v) => v === 0)) continue; // the outage
    const f = forecast(x.slice(Math.max(0, cut - 14 * 288), cut), {
      horizon: 288,
      seasonalities: [288, 2016],
      level: 0.9,
    });
    // Burstiness the 5-minute means hide: the last two weeks' hours, peak at the trace's own
    // resolution over the largest 5-minute mean (75th percentile).
    const factor = peakFactor(t.load.slice(Math.max(0, (day - 14) * 24 * kh), day * 24 * kh), k5, 12);
    const plan = (peak: number) =>
      planCapacity({
        mean: f.mean,
        upper: f.upper,
        firstTimestampMs: cut * 300_000,
        stepSeconds: 300,
        capacityPerPod: t.capacityPerPod,
        targetUtilization: TARGET,
        podsPerNode: 8,
        windowSteps: 12,
        peakFactor: peak,
      }).windows.map((w) => w.replicas);
    const needed = need.slice(day * 24, day * 24 + 24);
    const lastDay = need.slice(day * 24 - 24, day * 24);
    tally(plan(1), needed, plans.upper);
    tally(plan(factor), needed, plans.peak);
    factors.push(factor);
    tally(lastDay, needed, plans.yesterday);
    tally(new Array<number>(24).fill(Math.max(...lastDay)), needed, plans.dayMax);
    origins++;
  }
  const cell = (a: ReturnType<typeof acc>) =>
    `${(a.short / Math.max(1, a.hours)).toFixed(3).padStart(6)} ${(a.planned / Math.max(1, a.needed)).toFixed(2).padStart(5)}`;
  console.log(
    `${t.name.padEnd(22)}${String(origins).padStart(7)}  ${cell(plans.upper)}     ${cell(plans.peak)} ${mean(factors).toFixed(2).padStart(6)}     ${cell(plans.yesterday)}     ${cell(plans.dayMax)}  ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s`,
  );
}

console.log("\nanomaly detector at each trace's own resolution (alert = score >= 0.55, after the first 15%)");
for (const t of traces) {
  const d = createAnomalyDetector();
  const alerts: number[] = [];
  const why = new Map<number, string>();
  const from = Math.floor(0.15 * t.load.length);
  // The outage: the longest run of zeros.
  let outage = -1;
  let longest = 0;
  for (let i = 0, run = 0; i < t.load.length; i++) {
    run = t.load[i] === 0 ? run + 1 : 0;
    if (run > longest) {
      longest = run;
      outage = i - run + 1;
    }
  }
  t.load.forEach((v, i) => {
    if (d.update(v, i * t.stepSeconds * 1000) >= 0.55 && i >= from) {
      alerts.push(i);
      if (d.reason) why.set(i, describeAnomalyReason(d.reason));
    }
  });
  const days = ((t.load.length - from) * t.stepSeconds) / 86_400;
  const hours = (i: number) => `${((i * t.stepSeconds) / 3600).toFixed(1)} h`;
  const flagged = longest * t.stepSeconds >= 3600 ? alerts.find((i) => i >= outage) : undefined;
  console.log(
    `${t.name.padEnd(22)} ${alerts.length} alerts in ${days.toFixed(1)} days (${(alerts.length / days).toFixed(2)}/day): ${alerts.map((i) => `${hours(i)} (${why.get(i)})`).join(', ')}` +
      (longest * t.stepSeconds >= 3600
        ? `; outage of ${hours(longest)} from ${hours(outage)}: ${flagged === undefined || flagged >= outage + longest ? 'not flagged while it lasted' : `flagged after ${(((flagged - outage) * t.stepSeconds) / 60).toFixed(0)} min`}`
        : ''),
  );
}
