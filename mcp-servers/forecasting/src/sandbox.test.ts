/**
 * The anomaly tools against the sandbox world (the embedded metrics backend, its clock moved by
 * `advance`): a check over a window warms its detectors up on the history before it, and a polling
 * loop's calls (forecasting_watch_anomalies) read only what is new, keep their detectors between
 * calls and report an incident injected into the world in the scrape that brings it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectInMemory, resultJson } from '@devops-ai/mcp-kit/testing';
import { openSandbox, type SandboxWorld } from '@devops-ai/sandbox';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForecastingServer } from './server.js';
import { WatchState, watchStateFromEnv } from './watches.js';

const QUERY = 'service:requests_per_second{namespace="prod"}';

interface WatchResult {
  resumed: boolean;
  window: { start: string; end: string; stepSeconds: number };
  series: number;
  newSeries: number;
  warmingUp: number;
  pointsScored: number;
  withAnomalies: number;
  watchedSeries: number;
  results: Array<{
    labels: Record<string, string>;
    newPoints: number;
    maxScore: number;
    anomalies: Array<{ time: string; score: number; reason: string }>;
  }>;
}

let dir: string;
let world: SandboxWorld;
let client: Client;
const watch = async (args: Record<string, unknown>) =>
  client.callTool({ name: 'forecasting_watch_anomalies', arguments: { query: QUERY, ...args } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'forecasting-watch-'));
  world = openSandbox({ path: join(dir, 'world.db') });
  client = await connectInMemory(createForecastingServer({ metrics: world.metrics }));
});

afterAll(async () => {
  await client?.close();
  world?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('anomaly checks over a window on the sandbox world', () => {
  it('warm up on the two days before the window and report the window only', async () => {
    type Scan = {
      window: { start: string; warmupMinutes: number };
      withAnomalies: number;
      results: Array<{ reportedFrom: string; warmupTrimmed: boolean; anomalies: unknown[] }>;
    };
    const scan = async (extra: Record<string, unknown>) =>
      resultJson(
        await client.callTool({
          name: 'forecasting_scan_anomalies',
          arguments: {
            metric: {
              query: 'service:latency_p95_seconds{namespace="prod"}',
              lookbackMinutes: 18 * 60,
              stepSeconds: 60,
            },
            ...extra,
          },
        }),
      ) as Scan;
    const warm = await scan({});
    expect(warm.window.warmupMinutes).toBe(2880);
    expect(warm.results.every((r) => r.reportedFrom === warm.window.start && !r.warmupTrimmed)).toBe(true);
    // The same 18 hours scored by fresh detectors alone: their first-day alarms on ordinary latency.
    const cold = await scan({ warmupMinutes: 0 });
    expect(cold.withAnomalies).toBeGreaterThan(0);
    expect(warm.withAnomalies).toBe(0);
    const one = resultJson(
      await client.callTool({
        name: 'forecasting_detect_anomalies',
        arguments: {
          metric: {
            query: 'service:latency_p95_seconds{namespace="prod",service="cart"}',
            lookbackMinutes: 18 * 60,
            stepSeconds: 60,
          },
        },
      }),
    ) as { points: number; warmupMinutes: number; reportedFrom: string; warmupTrimmed: boolean };
    expect(one).toMatchObject({ points: 18 * 60 + 1 + 2880, warmupMinutes: 2880, warmupTrimmed: false });
    expect(one.reportedFrom).toBe(warm.window.start);
  });
});

describe('forecasting_watch_anomalies on the sandbox world', () => {
  it('warms up on two days, then reads only the minutes since the last call, and reports an injected surge', async () => {
    const first = resultJson(await watch({})) as WatchResult;
    const services = first.series;
    expect(services).toBeGreaterThanOrEqual(3);
    expect(first).toMatchObject({ resumed: false, newSeries: services, warmingUp: 0 });
    expect(Date.parse(first.window.end) - Date.parse(first.window.start)).toBe(2 * 86_400_000);
    expect(first.pointsScored).toBe(services * (2 * 1440 + 1));
    expect(first.watchedSeries).toBe(services);

    world.advance(10);
    const quiet = resultJson(await watch({})) as WatchResult;
    expect(quiet).toMatchObject({ resumed: true, series: services, newSeries: 0 });
    expect(quiet.pointsScored).toBe(services * 10);
    expect(quiet.results.every((r) => r.newPoints === 10)).toBe(true);

    // Three times the traffic on one service from the next minute.
    const target = first.results.map((r) => r.labels.service).sort()[0] as string;
    world.injectIncident({ kind: 'cpu_burst', namespace: 'prod', service: target, multiplier: 3 });
    const injectedAt = Date.parse(world.now());
    world.advance(5);
    const surge = resultJson(await watch({})) as WatchResult;
    expect(surge.pointsScored).toBe(services * 5);
    const top = surge.results[0];
    expect(top?.labels.service).toBe(target);
    expect(top?.anomalies.length).toBeGreaterThan(0);
    const firstHit = Date.parse(top?.anomalies[0]?.time ?? '');
    expect(firstHit).toBeGreaterThan(injectedAt);
    expect(firstHit).toBeLessThanOrEqual(injectedAt + 3 * 60_000);
    expect(top?.anomalies[0]?.score).toBeGreaterThanOrEqual(0.55);
    // Only the surging service alarms.
    expect(surge.results.filter((r) => r.anomalies.length > 0).map((r) => r.labels.service)).toEqual([
      target,
    ]);

    // A watch only moves forward; another watch name has its own detectors and position.
    const back = await watch({ end: first.window.end });
    expect(back.isError).toBe(true);
    expect(JSON.stringify(back.content)).toMatch(/before this watch's last read/);
    const other = resultJson(await watch({ watch: 'capacity-bot' })) as WatchResult;
    expect(other).toMatchObject({ resumed: false, newSeries: services });
    expect(other.watchedSeries).toBe(2 * services);
  });

  it('refuses bad arguments with a clear error and without metrics says why', async () => {
    const bad = await watch({ watch: 'no spaces allowed' });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/letters, digits/);
    // Too many series is refused before any detector is fed; the same watch then starts cleanly.
    const many = await watch({ watch: 'narrow', maxSeries: 2 });
    expect(many.isError).toBe(true);
    expect(JSON.stringify(many.content)).toMatch(/more than maxSeries \(2\)/);
    const ok = resultJson(await watch({ watch: 'narrow' })) as WatchResult;
    expect(ok).toMatchObject({ resumed: false });
    expect(ok.newSeries).toBe(ok.series);
    expect(ok.pointsScored).toBe(ok.series * (2 * 1440 + 1));
    const noMetrics = await connectInMemory(createForecastingServer({}));
    const r = await noMetrics.callTool({ name: 'forecasting_watch_anomalies', arguments: { query: QUERY } });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toMatch(/no metrics backend/);
    await noMetrics.close();
  });

  it('keeps no more detectors than FORECASTING_WATCH_MAX_SERIES', async () => {
    expect(() => watchStateFromEnv({ FORECASTING_WATCH_MAX_SERIES: 'lots' })).toThrow(/integer/);
    const state = new WatchState({ maxSeries: 8 });
    const small = await connectInMemory(createForecastingServer({ metrics: world.metrics, watches: state }));
    const call = async (query: string, warmupMinutes = 60) =>
      small.callTool({ name: 'forecasting_watch_anomalies', arguments: { query, warmupMinutes } });
    // Two queries of six series each: the second evicts the first's four least recently advanced.
    const one = resultJson(await call(QUERY)) as WatchResult;
    const two = resultJson(await call('service:error_ratio{namespace="prod"}')) as WatchResult;
    expect([one.series, two.series]).toEqual([6, 6]);
    expect(two.watchedSeries).toBe(8);
    expect(state.detectors.evicted).toBe(4);
    // One query with more series than the server keeps detectors for is refused before any is fed:
    // they would evict each other on every call and never finish warming up.
    const tight = new WatchState({ maxSeries: 4 });
    const tiny = await connectInMemory(createForecastingServer({ metrics: world.metrics, watches: tight }));
    const all = await tiny.callTool({ name: 'forecasting_watch_anomalies', arguments: { query: QUERY } });
    expect(all.isError).toBe(true);
    expect(JSON.stringify(all.content)).toMatch(
      /6 series or more, and this server keeps at most 4 live detectors/,
    );
    expect(tight.detectors.size).toBe(0);
    await tiny.close();
    await small.close();
  });
});
