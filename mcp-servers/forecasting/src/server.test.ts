import type { MetricsPort, RangeSeries } from '@devops-ai/core';
import { connectInMemory, resultJson } from '@devops-ai/mcp-kit/testing';
import { describe, expect, it } from 'vitest';
import { forecastingManifest } from './manifest.js';
import { defaultSeasonalities } from './series.js';
import { createForecastingServer } from './server.js';

const HOUR = 3600;
const daily = (i: number) => 100 + 40 * Math.sin((2 * Math.PI * i) / 24);

/** The one fake of the metrics port these tests need: rangeQuery answers from a fixed series. */
function fakeMetrics(series: RangeSeries[]): MetricsPort {
  const unused = () => Promise.reject(new Error('not used by the forecasting server'));
  return {
    backend: 'fake',
    now: async () => '2026-03-02T00:00:00Z',
    instantQuery: unused,
    rangeQuery: async () => series,
    goldenSignals: unused,
    activeAlerts: unused,
  };
}

describe('forecasting MCP server (in-process)', () => {
  it('lists eight tools, every one read-only, low risk and annotated so', async () => {
    expect(forecastingManifest.tools.map((t) => t.name).sort()).toEqual([
      'forecasting_advise_hpa',
      'forecasting_detect_anomalies',
      'forecasting_detect_cost_anomalies',
      'forecasting_forecast_series',
      'forecasting_plan_capacity',
      'forecasting_predict_bursts',
      'forecasting_scan_anomalies',
      'forecasting_watch_anomalies',
    ]);
    expect(forecastingManifest.tools.every((t) => t.readOnly && !t.destructive && t.risk === 'low')).toBe(
      true,
    );
    const client = await connectInMemory(createForecastingServer({}, { readOnly: true }));
    const tools = (await client.listTools()).tools;
    expect(tools).toHaveLength(8);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    await client.close();
  });

  it('forecasts an inline daily series', async () => {
    const client = await connectInMemory(createForecastingServer({}));
    const values = Array.from({ length: 24 * 14 }, (_, i) => daily(i));
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_forecast_series',
        arguments: { series: { values, stepSeconds: HOUR, start: '2026-02-01T00:00:00Z' }, horizon: 24 },
      }),
    ) as {
      points: Array<{ time: string; mean: number; lower: number; upper: number }>;
      seasonalities: number[];
    };
    // Two weeks of hourly history admit the weekly cycle too (one cycle plus three horizons).
    expect(r.seasonalities).toEqual([24, 168]);
    expect(r.points).toHaveLength(24);
    expect(r.points[0]?.time).toBe('2026-02-15T00:00:00.000Z');
    for (const [j, p] of r.points.entries()) expect(Math.abs(p.mean - daily(24 * 14 + j))).toBeLessThan(2);
    await client.close();
  });

  it('offers the daily and weekly cycles once the history holds more than one of them', () => {
    expect(defaultSeasonalities(3600, 24)).toEqual([]);
    expect(defaultSeasonalities(3600, 100)).toEqual([24]);
    // Ten days of hourly data: the forecaster scores weekly methods from one cycle plus three horizons.
    expect(defaultSeasonalities(3600, 240)).toEqual([24, 168]);
    expect(defaultSeasonalities(300, 3000)).toEqual([288, 2016]);
    // Seven minutes divide a week (1440 steps) but not a day; eleven minutes divide neither.
    expect(defaultSeasonalities(7 * 60, 5000)).toEqual([1440]);
    expect(defaultSeasonalities(11 * 60, 5000)).toEqual([]);
  });

  it("reads a relative window (lookbackMinutes) that ends at the metrics backend's now", async () => {
    const asked: Array<{ start: string; end: string; step: number }> = [];
    const points = Array.from({ length: 49 }, (_, i) => ({
      time: new Date(Date.parse('2026-03-01T00:00:00Z') + i * HOUR * 1000).toISOString(),
      value: daily(i),
    }));
    const metrics: MetricsPort = {
      ...fakeMetrics([{ labels: {}, points }]),
      rangeQuery: async (_q, start, end, step) => {
        asked.push({ start, end, step });
        return [{ labels: {}, points }];
      },
    };
    const client = await connectInMemory(createForecastingServer({ metrics }));
    const ok = await client.callTool({
      name: 'forecasting_detect_anomalies',
      arguments: { metric: { query: 'up', lookbackMinutes: 24 * 60, stepSeconds: HOUR } },
    });
    expect(ok.isError).toBeFalsy();
    // The window, and two days before it to warm the detector up (reported: the window only).
    expect(asked).toEqual([{ start: '2026-02-27T00:00:00.000Z', end: '2026-03-02T00:00:00Z', step: HOUR }]);
    expect(resultJson(ok)).toMatchObject({ warmupMinutes: 2880, reportedFrom: '2026-03-02T00:00:00.000Z' });
    asked.length = 0;
    const bare = await client.callTool({
      name: 'forecasting_detect_anomalies',
      arguments: { metric: { query: 'up', lookbackMinutes: 24 * 60, stepSeconds: HOUR }, warmupMinutes: 0 },
    });
    expect(bare.isError).toBeFalsy();
    expect(asked).toEqual([{ start: '2026-03-01T00:00:00.000Z', end: '2026-03-02T00:00:00Z', step: HOUR }]);
    const both = await client.callTool({
      name: 'forecasting_detect_anomalies',
      arguments: {
        metric: { query: 'up', start: '2026-03-01T00:00:00Z', lookbackMinutes: 60, stepSeconds: HOUR },
      },
    });
    expect(both.isError).toBe(true);
    expect(JSON.stringify(both.content)).toMatch(/exactly one of `start` or `lookbackMinutes`/);
    await client.close();
  });

  it('reads a metric reference through the metrics backend and finds an injected anomaly', async () => {
    const start = Date.parse('2026-02-01T00:00:00Z');
    const points = Array.from({ length: 24 * 10 }, (_, i) => ({
      time: new Date(start + i * HOUR * 1000).toISOString(),
      value: daily(i) + (i === 24 * 8 + 5 ? 400 : 0),
    }));
    const client = await connectInMemory(
      createForecastingServer({ metrics: fakeMetrics([{ labels: { service: 'checkout' }, points }]) }),
    );
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_detect_anomalies',
        arguments: {
          metric: {
            query: 'sum(rate(http_requests_total[5m]))',
            start: points[0]?.time,
            end: points.at(-1)?.time,
            stepSeconds: HOUR,
          },
        },
      }),
    ) as { anomalies: Array<{ time: string; reason: string }> };
    expect(r.anomalies.map((a) => a.time)).toContain(points[24 * 8 + 5]?.time);
    // Each anomaly says why; the injected spike is a jump.
    expect(r.anomalies.find((a) => a.time === points[24 * 8 + 5]?.time)?.reason).toMatch(
      /^sudden jump or spike/,
    );
    await client.close();
  });

  it('scans every series a query returns and ranks them by their strongest anomaly', async () => {
    const start = Date.parse('2026-02-01T00:00:00Z');
    const at = (i: number) => new Date(start + i * HOUR * 1000).toISOString();
    const n = 24 * 10;
    const shapes: Record<string, (i: number) => number> = {
      cart: (i) => daily(i),
      checkout: (i) => daily(i) + (i === 24 * 8 + 5 ? 400 : 0),
      search: (i) => 2 * daily(i) + (i >= 24 * 9 ? 200 : 0),
    };
    const returned = Object.entries(shapes).map(([service, f]) => ({
      labels: { namespace: 'prod', service },
      points: Array.from({ length: n }, (_, i) => ({ time: at(i), value: f(i) })),
    }));
    const client = await connectInMemory(createForecastingServer({ metrics: fakeMetrics(returned) }));
    const metric = {
      query: 'service:requests_per_second{namespace="prod"}',
      start: at(0),
      end: at(n - 1),
      stepSeconds: HOUR,
    };
    // Without a warm-up read, to compare with the same series inline below.
    const r = resultJson(
      await client.callTool({ name: 'forecasting_scan_anomalies', arguments: { metric, warmupMinutes: 0 } }),
    ) as {
      series: number;
      points: number;
      withAnomalies: number;
      results: Array<{
        labels: Record<string, string>;
        maxScore: number;
        anomalies: Array<{ time: string; reason: string }>;
      }>;
    };
    expect(r.series).toBe(3);
    expect(r.points).toBe(3 * n);
    // The spike and the level shift are found, each in its own series; the plain cycle has none.
    expect(r.withAnomalies).toBe(2);
    expect(r.results.map((x) => x.labels.service).slice(2)).toEqual(['cart']);
    expect(r.results[2]?.anomalies).toEqual([]);
    const checkout = r.results.find((x) => x.labels.service === 'checkout');
    expect(checkout?.anomalies.map((a) => a.time)).toContain(at(24 * 8 + 5));
    const search = r.results.find((x) => x.labels.service === 'search');
    expect(search?.anomalies[0]?.time).toBe(at(24 * 9));
    expect(r.results[0]?.maxScore).toBeGreaterThanOrEqual(r.results[1]?.maxScore ?? 1);
    // The same scores as the one-series tool gives each series on its own.
    const one = resultJson(
      await client.callTool({
        name: 'forecasting_detect_anomalies',
        arguments: {
          series: { values: returned[1]?.points.map((p) => p.value), stepSeconds: HOUR, start: at(0) },
        },
      }),
    ) as { maxScore: number };
    expect(checkout?.maxScore).toBe(one.maxScore);
    // The same series given inline, with their labels: the same ranking and scores.
    const inline = resultJson(
      await client.callTool({
        name: 'forecasting_scan_anomalies',
        arguments: {
          series: returned.map((x) => ({
            labels: x.labels,
            values: x.points.map((p) => p.value),
            stepSeconds: HOUR,
            start: at(0),
          })),
        },
      }),
    ) as typeof r & { window: unknown };
    expect(inline.window).toBeNull();
    expect(inline.results).toEqual(r.results);
    // By default two days before the window are read too; this source has nothing before it, so the
    // detectors' own first day is left out of the report instead, and the answer says so.
    const warm = resultJson(
      await client.callTool({ name: 'forecasting_scan_anomalies', arguments: { metric } }),
    ) as {
      window: { warmupMinutes: number };
      results: Array<{ maxScore: number; reportedFrom: string; warmupTrimmed: boolean }>;
    };
    expect(warm.window.warmupMinutes).toBe(2880);
    expect(warm.results.every((x) => x.reportedFrom === at(24) && x.warmupTrimmed)).toBe(true);
    expect(warm.results.map((x) => x.maxScore)).toEqual(r.results.map((x) => x.maxScore));
    // Reporting only the last day: the same scores there, nothing from before it.
    const lastDay = resultJson(
      await client.callTool({
        name: 'forecasting_scan_anomalies',
        arguments: { metric, reportLastMinutes: 24 * 60 },
      }),
    ) as typeof r;
    const searchLastDay = lastDay.results.find((x) => x.labels.service === 'search');
    expect(searchLastDay?.anomalies[0]?.time).toBe(at(24 * 9));
    expect(lastDay.results.find((x) => x.labels.service === 'checkout')?.anomalies).toEqual([]);
    const neither = await client.callTool({ name: 'forecasting_scan_anomalies', arguments: {} });
    expect(neither.isError).toBe(true);
    expect(JSON.stringify(neither.content)).toMatch(/exactly one of `series`/);
    // A query that returns more series than asked for, or too many points, is refused with the reason.
    const many = await client.callTool({
      name: 'forecasting_scan_anomalies',
      arguments: { metric, maxSeries: 2 },
    });
    expect(many.isError).toBe(true);
    expect(JSON.stringify(many.content)).toMatch(/returned 3 series, more than maxSeries \(2\)/);
    const onlyOne = await client.callTool({
      name: 'forecasting_detect_anomalies',
      arguments: { metric },
    });
    expect(JSON.stringify(onlyOne.content)).toMatch(/returned 3 series; aggregate it to exactly one/);
    await client.close();
  });

  it('reports only the last minutes asked for, after a one-day warm-up, and says so', async () => {
    const client = await connectInMemory(createForecastingServer({}));
    // Twenty series of three days of a noisy daily cycle at one-minute steps, nothing abnormal.
    let x = 7;
    const noise = () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    const start = '2026-03-01T00:00:00Z';
    const series = Array.from({ length: 20 }, (_, k) => ({
      labels: { service: `s${k}` },
      stepSeconds: 60,
      start,
      values: Array.from(
        { length: 3 * 1440 },
        (_, i) => 100 + 30 * Math.sin((2 * Math.PI * i) / 1440) + 5 * noise(),
      ),
    }));
    type Scan = {
      results: Array<{
        anomalies: Array<{ time: string }>;
        reportedFrom?: string | null;
        warmupTrimmed?: boolean;
      }>;
    };
    const scan = async (extra: Record<string, unknown>, s = series) =>
      resultJson(
        await client.callTool({
          name: 'forecasting_scan_anomalies',
          arguments: { series: s, maxResults: 20, ...extra },
        }),
      ) as Scan;
    const all = (r: Scan) => r.results.flatMap((x) => x.anomalies);
    // Read whole, a fresh detector flags new highs and lows of the first day (it has no earlier day).
    const whole = all(await scan({}));
    expect(whole.length).toBeGreaterThan(0);
    expect(whole.every((a) => a.time < '2026-03-02T00:00:00Z')).toBe(true);
    // The last 12 h, after two days of warm-up: nothing, and the report starts where asked.
    const last = await scan({ reportLastMinutes: 720 });
    expect(all(last)).toEqual([]);
    expect(last.results[0]?.reportedFrom).toBe('2026-03-03T12:00:00.000Z');
    expect(last.results[0]?.warmupTrimmed).toBe(false);
    // Asked for more than the history minus a day: the report starts after the first day.
    const long = await scan({ reportLastMinutes: 3 * 1440 });
    expect(long.results[0]?.reportedFrom).toBe('2026-03-02T00:00:00.000Z');
    expect(long.results[0]?.warmupTrimmed).toBe(true);
    expect(all(long)).toEqual([]);
    // Less than a day of history: all of it is warm-up.
    const first = series[0] as (typeof series)[number];
    const short = await scan({ reportLastMinutes: 60 }, [{ ...first, values: first.values.slice(0, 720) }]);
    expect(short.results[0]?.reportedFrom).toBeNull();
    expect(all(short)).toEqual([]);
    await client.close();
  });

  it('refuses a scan over more points than one call may score', async () => {
    const start = Date.parse('2026-02-01T00:00:00Z');
    // 45 series of 45,000 one-minute points (one shared points array: the limit is about counts).
    const points = Array.from({ length: 45_000 }, (_, i) => ({
      time: new Date(start + i * 60_000).toISOString(),
      value: i % 7,
    }));
    const returned = Array.from({ length: 45 }, (_, k) => ({ labels: { pod: `p${k}` }, points }));
    const client = await connectInMemory(createForecastingServer({ metrics: fakeMetrics(returned) }));
    const r = await client.callTool({
      name: 'forecasting_scan_anomalies',
      arguments: { metric: { query: 'up', lookbackMinutes: 45_000, stepSeconds: 60 } },
    });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toMatch(/2025000 points in all, more than 2000000/);
    await client.close();
  });

  it("shortens a scan's warm-up, not its window, to stay within the points one call may score", async () => {
    // 50 series whose window (39,000 one-minute points, 1.95 million in all) fits, with two days of
    // history before it that do not all fit: 1,000 points of warm-up each is what remains.
    const now = Date.parse('2026-03-02T00:00:00Z');
    const n = 39_000 + 2880;
    const points = Array.from({ length: n }, (_, i) => ({
      time: new Date(now - (n - 1 - i) * 60_000).toISOString(),
      value: 100, // flat: the detector is fastest there, and the test is about counts
    }));
    const returned = Array.from({ length: 50 }, (_, k) => ({ labels: { pod: `p${k}` }, points }));
    const client = await connectInMemory(createForecastingServer({ metrics: fakeMetrics(returned) }));
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_scan_anomalies',
        arguments: { metric: { query: 'up', lookbackMinutes: 38_999, stepSeconds: 60 } },
      }),
    ) as {
      points: number;
      window: { start: string; warmupMinutes: number };
      results: Array<{ points: number; reportedFrom: string; warmupTrimmed: boolean }>;
    };
    expect(r.window.warmupMinutes).toBe(1000);
    expect(r.points).toBe(2_000_000);
    expect(r.results.every((x) => x.points === 40_000)).toBe(true);
    // 1,000 minutes are less than the detector's first day: its last 440 minutes fall in the window
    // and are not reported, which the answer says.
    const from = new Date(Date.parse(r.window.start) + 440 * 60_000).toISOString();
    expect(r.results.every((x) => x.reportedFrom === from && x.warmupTrimmed)).toBe(true);
    await client.close();
  });

  it('plans capacity, predicts bursts, advises an HPA and finds cost anomalies', async () => {
    const client = await connectInMemory(createForecastingServer({}));
    const values = Array.from({ length: 24 * 14 }, (_, i) => (i % 24 === 10 ? 300 : 100));
    const series = { values, stepSeconds: HOUR, start: '2026-02-02T00:00:00Z' };
    const plan = resultJson(
      await client.callTool({
        name: 'forecasting_plan_capacity',
        arguments: {
          series,
          horizon: 24,
          capacityPerPod: 20,
          podsPerNode: 4,
          limits: { hpaMaxReplicas: 10 },
        },
      }),
    ) as { peakReplicas: number; breaches: Array<{ limit: string }> };
    expect(plan.peakReplicas).toBeGreaterThanOrEqual(Math.ceil(300 / (20 * 0.7)));
    expect(plan.breaches.map((b) => b.limit)).toContain('hpaMaxReplicas');
    // A burstiness factor given inline multiplies the load; reading one needs a metric reference.
    const bursty = resultJson(
      await client.callTool({
        name: 'forecasting_plan_capacity',
        arguments: { series, horizon: 24, capacityPerPod: 20, podsPerNode: 4, peakFactor: 2 },
      }),
    ) as { peakReplicas: number; peakFactor: number };
    expect(bursty.peakFactor).toBe(2);
    expect(bursty.peakReplicas).toBeGreaterThanOrEqual(2 * plan.peakReplicas - 1);
    const noMetric = await client.callTool({
      name: 'forecasting_plan_capacity',
      arguments: { series, horizon: 24, capacityPerPod: 20, podsPerNode: 4, peakStepSeconds: 60 },
    });
    expect(noMetric.isError).toBe(true);
    expect(JSON.stringify(noMetric.content)).toMatch(/peakStepSeconds needs a metric reference/);
    const bursts = resultJson(
      await client.callTool({ name: 'forecasting_predict_bursts', arguments: { series, horizon: 24 } }),
    ) as { bursts: Array<{ label: string }> };
    expect(bursts.bursts[0]?.label).toMatch(/^Traffic spike expected Mon 10:00–11:00/);
    const badExit = await client.callTool({
      name: 'forecasting_predict_bursts',
      arguments: { series, horizon: 24, minConfidence: 0.5, exitConfidence: 0.7 },
    });
    expect(badExit.isError).toBe(true);
    expect(JSON.stringify(badExit.content)).toMatch(/exitConfidence must not exceed minConfidence/);
    const advice = await client.callTool({
      name: 'forecasting_advise_hpa',
      arguments: {
        series,
        capacityPerPod: 20,
        current: { minReplicas: 2, maxReplicas: 10, targetUtilization: 0.7 },
      },
    });
    expect(advice.isError).toBeFalsy();
    expect(resultJson(advice)).toHaveProperty('heldOut.recommended.replicaHours');
    // The daily 10:00 burst gets a recurring pre-scale in calendar terms (UTC), raised an hour early.
    const preScale = (
      resultJson(advice) as {
        recommended: {
          scheduledPreScale: {
            every: string;
            timezone: string;
            windows: Array<{ from: string; to: string; minReplicas: number }>;
          } | null;
        };
      }
    ).recommended.scheduledPreScale;
    expect(preScale?.every).toBe('day');
    expect(preScale?.timezone).toBe('UTC');
    const burst = preScale?.windows.find((w) => w.from <= '10:00' && (w.to > '10:00' || w.to === '00:00'));
    expect(burst?.from).toBe('09:00');
    for (const w of preScale?.windows ?? [])
      if (w !== burst) expect(w.minReplicas).toBeLessThan(burst?.minReplicas ?? 0);
    const rows = Array.from({ length: 20 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
      service: 'EC2',
      usageType: 'BoxUsage',
      cost: i === 18 ? 500 : 100,
    }));
    const cost = resultJson(
      await client.callTool({ name: 'forecasting_detect_cost_anomalies', arguments: { rows } }),
    ) as { anomalies: Array<{ date: string; kind: string }> };
    expect(cost.anomalies).toEqual([expect.objectContaining({ date: '2026-01-19', kind: 'spike' })]);
    await client.close();
  });

  it('reads daily cost from a metric, by service and usage type, and names the driver', async () => {
    const day = (i: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + i * 86_400_000).toISOString();
    const series = (type: string, cost: (i: number) => number) => ({
      labels: { service: 'checkout', type },
      points: Array.from({ length: 28 }, (_, i) => ({ time: day(i), value: cost(i) })),
    });
    const returned = [
      series('cpu', () => 40),
      series('ram', () => 20),
      series('storage', (i) => (i === 25 ? 260 : 10)),
    ];
    const client = await connectInMemory(createForecastingServer({ metrics: fakeMetrics(returned) }));
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_detect_cost_anomalies',
        arguments: {
          metric: {
            query: 'sum by (service, type) (cost_daily)',
            start: day(0),
            end: day(27),
            usageTypeLabel: 'type',
          },
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
      expect.objectContaining({ date: '2026-01-26', service: 'checkout', kind: 'spike' }),
    ]);
    expect(r.anomalies[0]?.drivers[0]?.usageType).toBe('storage');
    await client.close();
  });

  it('watches series whose points the caller pushes, call after call, without a metrics backend', async () => {
    const client = await connectInMemory(createForecastingServer({}));
    const MIN = 60;
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    const value = (service: string, i: number) =>
      (service === 'cart' ? 100 : 300) * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 1440)) +
      ((i * 7919) % 13) -
      6;
    const push = async (from: number, to: number, spikeAt = -1) =>
      resultJson(
        await client.callTool({
          name: 'forecasting_watch_anomalies',
          arguments: {
            watch: 'pusher',
            series: ['cart', 'search'].map((service) => ({
              labels: { service },
              stepSeconds: MIN,
              start: new Date(t0 + from * MIN * 1000).toISOString(),
              values: Array.from({ length: to - from }, (_, k) =>
                service === 'search' && from + k === spikeAt
                  ? 3 * value(service, from + k)
                  : value(service, from + k),
              ),
            })),
          },
        }),
      ) as {
        window: unknown;
        resumed: boolean;
        newSeries: number;
        pointsScored: number;
        results: Array<{
          labels: Record<string, string>;
          anomalies: Array<{ time: string; reason: string }>;
        }>;
      };
    // Two days at once: new series, warmed up; then an hour that overlaps the last ten minutes
    // (skipped) and holds a spike on search.
    const first = await push(0, 2880);
    expect(first).toMatchObject({ window: null, resumed: false, newSeries: 2, pointsScored: 2 * 2880 });
    const spikeAt = 2880 + 30;
    const next = await push(2870, 2940, spikeAt);
    expect(next).toMatchObject({ resumed: true, newSeries: 0, pointsScored: 2 * 60 });
    const hits = next.results.flatMap((r) => r.anomalies.map((a) => ({ service: r.labels.service, ...a })));
    expect(hits).toEqual([
      expect.objectContaining({
        service: 'search',
        time: new Date(t0 + spikeAt * MIN * 1000).toISOString(),
        reason: expect.stringMatching(/sudden jump or spike/),
      }),
    ]);
    const both = await client.callTool({
      name: 'forecasting_watch_anomalies',
      arguments: { query: 'up', series: [{ values: [1, 2, 3], stepSeconds: 60 }] },
    });
    expect(both.isError).toBe(true);
    expect(JSON.stringify(both.content)).toMatch(/exactly one of `query`/);
    await client.close();
  });

  it('returns coded errors the model can read', async () => {
    const client = await connectInMemory(createForecastingServer({}));
    const both = await client.callTool({
      name: 'forecasting_forecast_series',
      arguments: {
        series: { values: [1, 2, 3], stepSeconds: 60 },
        metric: { query: 'up', start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z', stepSeconds: 60 },
        horizon: 3,
      },
    });
    expect(both.isError).toBe(true);
    expect(resultJson(both)).toMatchObject({ error: { code: 'invalid_argument' } });
    const noBackend = await client.callTool({
      name: 'forecasting_detect_anomalies',
      arguments: {
        metric: { query: 'up', start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z', stepSeconds: 60 },
      },
    });
    expect(resultJson(noBackend)).toMatchObject({ error: { code: 'not_available' } });
    await client.close();
  });
});
