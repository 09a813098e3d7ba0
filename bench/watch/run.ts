/**
 * Anomaly checks over every series of a cluster on each scrape: what one check costs when the
 * detectors live between calls (forecasting_watch_anomalies) against re-scoring the window each time
 * (forecasting_scan_anomalies over 12 hours plus two days of warm-up, as the chat's namespace check
 * reads). Both through the forecasting MCP server in-process, reading from a generated metrics source
 * of N one-minute series (a daily cycle, noise, a few spikes): the numbers are the server's and the
 * engines' work, not a backend's. Also the engine alone (AnomalyWatch.advance, one point a series) and
 * the memory each live detector takes (JS heap and typed arrays).
 *
 *   npm run bench:watch [-- --series 200,1000,2000 --scrapes 30]
 */
import { parseArgs } from 'node:util';
import type { MetricsPort, RangeSeries } from '@devops-ai/core';
import { createAnomalyWatch } from '@devops-ai/engines';
import { rng } from '@devops-ai/engines/testing';
import { createForecastingServer, MAX_SCAN_POINTS } from '@devops-ai/mcp-forecasting';
import { connectInMemory, resultJson } from '@devops-ai/mcp-kit/testing';

const { values: args } = parseArgs({
  options: {
    series: { type: 'string', default: '200,1000,2000' },
    scrapes: { type: 'string', default: '30' },
  },
});
const sizes = (args.series ?? '').split(',').map(Number);
const scrapes = Number(args.scrapes);
const MIN = 60_000;
const HISTORY = 3 * 1440;
const T0 = Date.parse('2026-03-01T00:00:00Z');

function generate(n: number, length: number): Float64Array[] {
  return Array.from({ length: n }, (_, s) => {
    const r = rng(s + 1);
    const scale = 20 + 200 * r();
    const phase = r() * 1440;
    return Float64Array.from({ length }, (_, i) => {
      const cycle = 1 + 0.4 * Math.sin((2 * Math.PI * (i + phase)) / 1440);
      const spike = r() < 0.0005 ? 2 : 1;
      return scale * cycle * spike * (1 + 0.05 * (r() - 0.5));
    });
  });
}

/** A metrics source over generated series; the clock is set by the bench. */
function source(data: Float64Array[], clock: { ms: number }): MetricsPort {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    backend: 'generated',
    now: async () => new Date(clock.ms).toISOString(),
    instantQuery: unused,
    goldenSignals: unused,
    activeAlerts: unused,
    rangeQuery: async (_q, start, end, stepSeconds): Promise<RangeSeries[]> => {
      const from = Math.ceil((Date.parse(start) - T0) / (stepSeconds * 1000));
      const to = Math.floor((Date.parse(end) - T0) / (stepSeconds * 1000));
      return data.map((values, s) => {
        const points = [];
        for (let i = Math.max(0, from); i <= Math.min(to, values.length - 1); i++)
          points.push({
            time: new Date(T0 + i * stepSeconds * 1000).toISOString(),
            value: values[i] as number,
          });
        return { labels: { namespace: 'prod', service: `svc-${s}` }, points };
      });
    },
  };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? 0;
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

// Memory of a live detector after two days of one-minute points (JS heap and typed arrays, which
// hold most of it: the shape memory and the daily buffers), measured before anything else runs.
{
  const k = 500;
  const data = generate(k, 2 * 1440);
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  global.gc?.();
  const before = used();
  const watch = createAnomalyWatch({ maxSeries: k });
  for (let s = 0; s < k; s++)
    watch.advance(
      `s${s}`,
      { values: data[s] as Float64Array, startMs: T0, stepMs: MIN },
      { threshold: 0.55 },
    );
  global.gc?.();
  console.log(
    global.gc
      ? `Memory per live detector: ${fmt((used() - before) / 1024 / k)} KB (${k} detectors, ${watch.size} kept).\n`
      : 'Run with node --expose-gc to measure the memory per detector.\n',
  );
}

console.log(
  `One-minute series; the watch warms up on 2 days, then ${scrapes} scrapes of one new minute each.\n`,
);
console.log(
  '| series | watch: first call (ms) | watch: per scrape, mean / p95 (ms) | scan of 2.5 days per check (ms) | engine only, per scrape (ms) |',
);
console.log('| --- | --- | --- | --- | --- |');
let scanMsPerPoint = 0;
for (const n of sizes) {
  const data = generate(n, HISTORY + scrapes + 1);
  const clock = { ms: T0 + (HISTORY - 1) * MIN };
  const server = createForecastingServer({ metrics: source(data, clock) });
  const client = await connectInMemory(server);
  const query = 'service:requests_per_second{namespace="prod"}';
  const call = async (name: string, a: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: a });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return resultJson(r) as { pointsScored?: number; points?: number };
  };
  let t = process.hrtime.bigint();
  const first = await call('forecasting_watch_anomalies', { query, maxSeries: 5000 });
  const firstMs = ms(t);
  const per: number[] = [];
  for (let k = 0; k < scrapes; k++) {
    clock.ms += MIN;
    t = process.hrtime.bigint();
    const r = await call('forecasting_watch_anomalies', { query, maxSeries: 5000 });
    per.push(ms(t));
    if (r.pointsScored !== n) throw new Error(`scrape scored ${r.pointsScored} points, expected ${n}`);
  }
  // The same check by re-scoring a window: 12 h reported after 2 days of warm-up.
  // Past the scan's cap (2,000,000 points a call) it is refused; the cost is then extrapolated from
  // the smaller runs' time per point.
  const scanPoints = n * 3601;
  let scanText: string;
  if (scanPoints <= MAX_SCAN_POINTS) {
    t = process.hrtime.bigint();
    await call('forecasting_scan_anomalies', {
      metric: { query, lookbackMinutes: 3600, stepSeconds: 60 },
      reportLastMinutes: 720,
      maxSeries: 5000,
    });
    const scanMs = ms(t);
    scanMsPerPoint = scanMs / scanPoints;
    scanText = fmt(scanMs);
  } else
    scanText = `refused: ${scanPoints} points > ${MAX_SCAN_POINTS}${scanMsPerPoint > 0 ? ` (≈ ${fmt(scanMsPerPoint * scanPoints)} at the smaller runs' rate)` : ''}`;
  await client.close();
  // The engine alone.
  const watch = createAnomalyWatch({ maxSeries: n });
  for (let s = 0; s < n; s++)
    watch.advance(
      `s${s}`,
      { values: (data[s] as Float64Array).subarray(0, 2 * 1440), startMs: T0, stepMs: MIN },
      { threshold: 0.55 },
    );
  const engine: number[] = [];
  for (let k = 0; k < scrapes; k++) {
    t = process.hrtime.bigint();
    for (let s = 0; s < n; s++) {
      const i = 2 * 1440 + k;
      watch.advance(
        `s${s}`,
        { values: (data[s] as Float64Array).subarray(i, i + 1), startMs: T0 + i * MIN, stepMs: MIN },
        { threshold: 0.55 },
      );
    }
    engine.push(ms(t));
  }
  console.log(
    `| ${n} | ${fmt(firstMs)} (${first.pointsScored} points) | ${fmt(per.reduce((a, b) => a + b, 0) / per.length)} / ${fmt(pct(per, 0.95))} | ${scanText} | ${fmt(engine.reduce((a, b) => a + b, 0) / engine.length)} |`,
  );
}
