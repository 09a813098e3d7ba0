/**
 * The forecasting server as deployed against a real Prometheus: the `bin` over stdio, configured only
 * by `PROMETHEUS_URL`, resolving metric references with PromQL range queries. Prometheus is Debian's
 * package, started on a loopback port with three days of a known series backfilled by promtool: a
 * daily cycle (100 ± 50) with a little deterministic noise and one spike five hours before the end,
 * two quiet services beside it, and four weeks of daily cost by usage type with one storage spike.
 * The answers are known: the forecast follows the cycle, the detector finds the spike and nothing
 * else, the cost detector the cost spike and its driver. Fails (does not skip) when the prometheus binary is missing.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningPrometheus, startPrometheus } from '@devops-ai/backends/testing';
import { resultJson } from '@devops-ai/mcp-kit/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'devops-ai-mcp-forecasting.js');
const STEP_S = 300;
const DAY_S = 86_400;
const POINTS = (3 * DAY_S) / STEP_S;
const SPIKE_AT = POINTS - 60; // five hours before the last sample
const QUERY = 'checkout_requests_per_second{namespace="shop",service="checkout-api"}';

const cycle = (t: number) => 100 + 50 * Math.sin((2 * Math.PI * (t % DAY_S)) / DAY_S);

/** Deterministic noise in [-2, 2] (a linear congruential generator). */
function noise(): () => number {
  let x = 12345;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return (x / 2 ** 31) * 4 - 2;
  };
}

let prometheus: RunningPrometheus;
let client: Client;
let lastSample: number;

beforeAll(async () => {
  lastSample = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S - STEP_S;
  const first = lastSample - (POINTS - 1) * STEP_S;
  const rnd = noise();
  const lines = ['# TYPE checkout_requests_per_second gauge'];
  for (let i = 0; i < POINTS; i++) {
    const t = first + i * STEP_S;
    const v = cycle(t) + rnd() + (i === SPIKE_AT ? 150 : 0);
    lines.push(`checkout_requests_per_second{namespace="shop",service="checkout-api"} ${v.toFixed(3)} ${t}`);
  }
  // Two more services of the same namespace with the same kind of cycle and no incident, for the scan.
  for (const [service, scale] of [
    ['cart', 0.5],
    ['search', 2],
  ] as const)
    for (let i = 0; i < POINTS; i++) {
      const t = first + i * STEP_S;
      const v = scale * cycle(t) + rnd();
      lines.push(`checkout_requests_per_second{namespace="shop",service="${service}"} ${v.toFixed(3)} ${t}`);
    }
  // Daily cost per service and usage type for four weeks, one storage spike three days before today.
  const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
  lines.push('# TYPE cost_daily_dollars gauge');
  for (const [type, base] of [
    ['cpu', 40],
    ['ram', 20],
    ['storage', 10],
  ] as const)
    for (let d = 28; d >= 1; d--) {
      const v = type === 'storage' && d === 3 ? 260 : base;
      lines.push(`cost_daily_dollars{service="checkout-api",type="${type}"} ${v} ${today - d * DAY_S}`);
    }
  lines.push('# EOF');
  // Nothing to scrape: the history is all there is (a closed loopback port as the one target).
  prometheus = await startPrometheus({
    targets: ['127.0.0.1:9'],
    history: `${lines.join('\n')}\n`,
    retention: '30d',
  });
  client = new Client({ name: 'prometheus-int-test', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, '--stdio'],
      env: { PATH: process.env.PATH ?? '', PROMETHEUS_URL: prometheus.url },
      stderr: 'pipe',
    }),
  );
});

afterAll(async () => {
  await client?.close();
  await prometheus?.stop();
});

const metric = { query: QUERY, lookbackMinutes: (3 * DAY_S) / 60, stepSeconds: STEP_S };

describe('forecasting server over stdio, metric references read from a real Prometheus', () => {
  it('forecasts the next two hours of the daily cycle from three days of history', async () => {
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_forecast_series',
        arguments: { metric, horizon: 24, level: 0.9 },
      }),
    ) as {
      historyPoints: number;
      seasonalities: number[];
      points: Array<{ time: string; mean: number; lower: number; upper: number }>;
    };
    // A range query over three days at 5-minute steps: one point per step, the spike clipped as an outlier.
    expect(r.historyPoints).toBeGreaterThanOrEqual(POINTS - 2);
    expect(r.historyPoints).toBeLessThanOrEqual(POINTS + 1);
    expect(r.seasonalities).toEqual([DAY_S / STEP_S]);
    expect(r.points).toHaveLength(24);
    let absError = 0;
    let total = 0;
    let covered = 0;
    for (const p of r.points) {
      const truth = cycle(Date.parse(p.time) / 1000);
      absError += Math.abs(p.mean - truth);
      total += truth;
      if (p.lower <= truth && truth <= p.upper) covered++;
    }
    // The noise is ±2 around a cycle of 50–150; the query's step times are not the samples' times,
    // so up to 5 minutes of phase (≤ 1.1 units of the cycle) comes on top.
    expect(absError / total).toBeLessThan(0.03);
    expect(covered).toBeGreaterThanOrEqual(20);
  });

  it('finds the spike and nothing else in the last twelve hours', async () => {
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_detect_anomalies',
        arguments: { metric: { ...metric, lookbackMinutes: 3 * 1440 }, threshold: 0.55, maxResults: 10 },
      }),
    ) as { anomalies: Array<{ time: string; value: number; score: number; reason: string }> };
    const spikeAt = lastSample - (POINTS - 1 - SPIKE_AT) * STEP_S;
    expect(r.anomalies).toHaveLength(1);
    const a = r.anomalies[0];
    // The step that reads the spike's sample: at or within 5 minutes after it.
    const t = Date.parse(a?.time ?? '') / 1000;
    expect(t).toBeGreaterThanOrEqual(spikeAt);
    expect(t).toBeLessThan(spikeAt + STEP_S);
    expect(a?.value).toBeGreaterThan(cycle(spikeAt) + 140);
    expect(a?.score).toBeGreaterThan(0.6);
    // On a daily cycle the spike is both a jump and unlike the same time on earlier days.
    expect(a?.reason).toMatch(/sudden jump or spike|unlike the same time on previous days/);
  });

  it('scans every service of the namespace and puts the one with the spike first', async () => {
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_scan_anomalies',
        arguments: {
          metric: { ...metric, query: 'checkout_requests_per_second{namespace="shop"}' },
          threshold: 0.55,
        },
      }),
    ) as {
      series: number;
      withAnomalies: number;
      results: Array<{ labels: Record<string, string>; anomalies: Array<{ time: string }> }>;
    };
    expect(r.series).toBe(3);
    expect(r.withAnomalies).toBe(1);
    expect(r.results.map((x) => x.labels.service)[0]).toBe('checkout-api');
    expect(r.results[0]?.labels).toMatchObject({ namespace: 'shop', service: 'checkout-api' });
    const spikeAt = lastSample - (POINTS - 1 - SPIKE_AT) * STEP_S;
    const t = Date.parse(r.results[0]?.anomalies[0]?.time ?? '') / 1000;
    expect(t).toBeGreaterThanOrEqual(spikeAt);
    expect(t).toBeLessThan(spikeAt + STEP_S);
    expect(r.results.slice(1).every((x) => x.anomalies.length === 0)).toBe(true);
  });

  it('reads a window and its warm-up past 11,000 points a series as several range queries', async () => {
    // 12 hours at 15 s steps and two days of warm-up before them: 14,401 steps, more than
    // Prometheus serves in one range query.
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_detect_anomalies',
        arguments: { metric: { query: QUERY, lookbackMinutes: 720, stepSeconds: 15 }, maxResults: 500 },
      }),
    ) as { points: number; warmupMinutes: number; anomalies: Array<{ time: string }> };
    expect(r.warmupMinutes).toBe(2880);
    // The last sample is up to 10 minutes before now (a closed bucket, then Prometheus' 5-minute
    // lookback): the grid ends at the last step with data.
    expect(r.points).toBeGreaterThanOrEqual(14_401 - 40);
    expect(r.points).toBeLessThanOrEqual(14_401);
    const spikeAt = lastSample - (POINTS - 1 - SPIKE_AT) * STEP_S;
    const times = r.anomalies.map((a) => Date.parse(a.time) / 1000);
    expect(times.some((t) => t >= spikeAt && t < spikeAt + STEP_S)).toBe(true);
  });

  it('watches the namespace scrape by scrape: warm-up, then only new points, the spike when it comes', async () => {
    const query = 'checkout_requests_per_second{namespace="shop"}';
    const spikeAt = lastSample - (POINTS - 1 - SPIKE_AT) * STEP_S;
    type Watch = {
      resumed: boolean;
      series: number;
      pointsScored: number;
      results: Array<{ labels: Record<string, string>; anomalies: Array<{ time: string; reason: string }> }>;
    };
    const watch = async (endS: number) =>
      resultJson(
        await client.callTool({
          name: 'forecasting_watch_anomalies',
          arguments: { query, stepSeconds: STEP_S, end: new Date(endS * 1000).toISOString() },
        }),
      ) as Watch;
    // Ten hours before the end, two days back: the detectors warm up, nothing is news yet.
    const first = await watch(lastSample - 10 * 3600);
    expect(first).toMatchObject({ resumed: false, series: 3 });
    expect(first.pointsScored).toBe(3 * ((2 * DAY_S) / STEP_S + 1));
    expect(first.results.every((r) => r.anomalies.length === 0)).toBe(true);
    // Then scrape by scrape, an hour at a time (12 new points a series each): the spike comes once.
    const hits: Array<{ service: string | undefined; time: number }> = [];
    for (let end = lastSample - 9 * 3600; end <= lastSample; end += 3600) {
      const r = await watch(end);
      expect(r.resumed).toBe(true);
      expect(r.pointsScored).toBe(3 * 12);
      for (const x of r.results)
        for (const a of x.anomalies)
          hits.push({ service: x.labels.service, time: Date.parse(a.time) / 1000 });
    }
    expect(hits).toHaveLength(1);
    expect(hits[0]?.service).toBe('checkout-api');
    expect(hits[0]?.time).toBeGreaterThanOrEqual(spikeAt);
    expect(hits[0]?.time).toBeLessThan(spikeAt + STEP_S);
  });

  it('finds the cost spike in daily cost read by service and usage type, and names its driver', async () => {
    const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
    const day = (d: number) => new Date((today - d * DAY_S) * 1000).toISOString();
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_detect_cost_anomalies',
        arguments: {
          metric: { query: 'cost_daily_dollars', start: day(28), end: day(1), usageTypeLabel: 'type' },
        },
      }),
    ) as {
      rows: number;
      anomalies: Array<{
        date: string;
        service: string;
        kind: string;
        drivers: Array<{ usageType: string }>;
      }>;
    };
    expect(r.rows).toBe(3 * 28);
    expect(r.anomalies).toEqual([
      expect.objectContaining({ date: day(3).slice(0, 10), service: 'checkout-api', kind: 'spike' }),
    ]);
    expect(r.anomalies[0]?.drivers[0]?.usageType).toBe('storage');
  });

  it('answers a query that matches nothing with a clear error, not a crash', async () => {
    const r = await client.callTool({
      name: 'forecasting_forecast_series',
      arguments: { metric: { ...metric, query: 'no_such_metric' }, horizon: 12 },
    });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toMatch(
      /invalid_argument.*the query returned no data between .* check the metric name and labels/,
    );
  });
});
