/**
 * The Prometheus MetricsPort against a real Prometheus (Debian's `prometheus` package), started
 * here on a free loopback port with a temp data dir and a 1 s scrape interval. It scrapes a small
 * exporter run by the test (an instrumented HTTP service, cAdvisor and kube-state-metrics series
 * for namespace `shop`); 25 minutes of the same model's history are backfilled with promtool
 * first, so golden signals over a 10-minute window have known answers. Fails (does not skip) when
 * the prometheus binary is missing.
 */
import { type AddressInfo, createServer } from 'node:net';
import { describeMetricsContract } from '@devops-ai/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusMetrics, type PrometheusMetrics } from './metrics.js';
import {
  DEFAULT_LATENCY_CDF,
  renderOpenMetricsHistory,
  type ServiceModel,
  startTestExporter,
  type TestExporter,
} from './testing/exporter.js';
import {
  PrometheusStartError,
  type RunningPrometheus,
  startPrometheus,
} from './testing/prometheus-server.js';

const MiB = 2 ** 20;
const SERVICES: ServiceModel[] = [
  {
    namespace: 'shop',
    service: 'checkout-api',
    pods: ['checkout-api-7d9f8b6c5d-2xk8p', 'checkout-api-7d9f8b6c5d-9qwzt'],
    rpsByCode: { '200': 48, '500': 2 },
    latencyCdf: DEFAULT_LATENCY_CDF,
    cpuCoresPerPod: 0.3,
    cpuRequestCoresPerPod: 0.5,
    memoryBytesPerPod: 300 * MiB,
    memoryRequestBytesPerPod: 512 * MiB,
    availableReplicas: 2,
  },
  // Same prefix, different deployment: its pods must not count for checkout-api.
  {
    namespace: 'shop',
    service: 'checkout',
    pods: ['checkout-6b7c9d8f5-zk2lq'],
    rpsByCode: { '200': 1000 },
    latencyCdf: DEFAULT_LATENCY_CDF,
    cpuCoresPerPod: 5,
    cpuRequestCoresPerPod: 4,
    memoryBytesPerPod: 4096 * MiB,
    memoryRequestBytesPerPod: 4096 * MiB,
    availableReplicas: 1,
  },
  // Same service name in another namespace.
  {
    namespace: 'shop-staging',
    service: 'checkout-api',
    pods: ['checkout-api-5f6d7c8b9a-q8zkw'],
    rpsByCode: { '200': 5 },
    latencyCdf: DEFAULT_LATENCY_CDF,
    cpuCoresPerPod: 0.05,
    cpuRequestCoresPerPod: 0.25,
    memoryBytesPerPod: 100 * MiB,
    memoryRequestBytesPerPod: 256 * MiB,
    availableReplicas: 1,
  },
];

const RULES = `groups:
  - name: devops-ai-test
    rules:
      - alert: CheckoutErrors5xx
        expr: sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[1m])) > 0
        for: 0s
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.service }} in {{ $labels.namespace }} returns 5xx"
      - alert: TrafficForAnHour
        expr: sum by (service) (rate(http_requests_total{namespace="shop"}[1m])) > 0
        for: 1h
        labels:
          severity: warning
`;

/** Backfill spacing; series rates use 3x this so every step has samples. */
const HISTORY_STEP_S = 5;
const RATE_INTERVAL_S = 3 * HISTORY_STEP_S;

interface Env {
  prometheus: RunningPrometheus;
  exporter: TestExporter;
  origin: number;
  /** Time of the last backfilled sample (unix seconds); live scrapes take over after it. */
  historyEnd: number;
  metrics: PrometheusMetrics;
  requests: string[];
}

/** A loopback port nobody listens on (fetch refuses "bad ports" such as 1 outright). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `fn` yields a value, at most `timeoutMs` and never past `hardDeadline`. */
async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  hardDeadline: number,
): Promise<T> {
  const deadline = Math.min(Date.now() + timeoutMs, hardDeadline);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(250);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
  );
}

let envPromise: Promise<Env> | undefined;
let started: Env | undefined;

/** One Prometheus for the whole file; started by whichever suite needs it first. */
function env(): Promise<Env> {
  envPromise ??= (async () => {
    // Everything below must fit in the suites' 60 s hook timeout (vitest.config.ts).
    const hardDeadline = Date.now() + 50_000;
    const now = Math.floor(Date.now() / 1000);
    const origin = now - 25 * 60;
    const times: number[] = [];
    for (let t = origin; t <= now - HISTORY_STEP_S; t += HISTORY_STEP_S) times.push(t);
    const exporter = await startTestExporter(SERVICES, origin);
    let prometheus: RunningPrometheus;
    try {
      prometheus = await startPrometheus({
        targets: [exporter.target],
        rules: RULES,
        history: renderOpenMetricsHistory(SERVICES, origin, times, {
          job: 'exporter',
          instance: exporter.target,
        }),
      });
    } catch (err) {
      await exporter.close();
      throw err;
    }
    const requests: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const metrics = createPrometheusMetrics(
      { url: prometheus.url, rateIntervalSeconds: RATE_INTERVAL_S, timeoutMs: 15_000 },
      { fetch: countingFetch },
    );
    started = { prometheus, exporter, origin, historyEnd: times.at(-1) ?? now, metrics, requests };
    try {
      // Live scrapes are flowing and the backfilled history is queryable.
      await waitFor(
        'live scrapes',
        async () => {
          const s = await metrics.instantQuery('count_over_time(up{job="exporter"}[1m])');
          return (s[0]?.value ?? 0) >= 3 ? true : undefined;
        },
        30_000,
        hardDeadline,
      );
      await waitFor(
        'backfilled history',
        async () => {
          const s = await metrics.instantQuery(
            'count_over_time(http_requests_total{namespace="shop",service="checkout-api",code="200"}[20m])',
          );
          return (s[0]?.value ?? 0) > 100 ? true : undefined;
        },
        15_000,
        hardDeadline,
      );
      await waitFor(
        'the firing alert',
        async () => ((await metrics.activeAlerts()).some((a) => a.state === 'firing') ? true : undefined),
        20_000,
        hardDeadline,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus log:\n${prometheus.logs()}`);
    }
    return started;
  })();
  return envPromise;
}

afterAll(async () => {
  await envPromise?.catch(() => undefined);
  await started?.prometheus.stop();
  await started?.exporter.close();
});

describeMetricsContract('prometheus (real server, Debian package)', async () => {
  const e = await env();
  return {
    // A port of its own: the contract closes it, the shared one stays open.
    port: createPrometheusMetrics({ url: e.prometheus.url, rateIntervalSeconds: RATE_INTERVAL_S }),
    fixture: {
      namespace: 'shop',
      service: 'checkout-api',
      instantQuery: 'sum by (code) (rate(http_requests_total{namespace="shop",service="checkout-api"}[1m]))',
    },
  };
});

describe('PrometheusMetrics against a real Prometheus', () => {
  let e: Env;
  beforeAll(async () => {
    e = await env();
  });

  it('computes golden signals over the window from the standard exporters', async () => {
    const g = await e.metrics.goldenSignals({
      namespace: 'shop',
      service: 'checkout-api',
      windowMinutes: 10,
    });
    expect(g.requestsPerSecond).toBeGreaterThan(50 * 0.95);
    expect(g.requestsPerSecond).toBeLessThan(50 * 1.05);
    expect(g.errorRate).toBeCloseTo(2 / 50, 3);
    // bucket bounds: 50% of requests <= 50 ms, 95% <= 250 ms, 99% <= 500 ms
    expect(g.latencyMs.p50).toBeCloseTo(50, 3);
    expect(g.latencyMs.p95).toBeCloseTo(250, 3);
    expect(g.latencyMs.p99).toBeCloseTo(500, 3);
    // 2 pods x 0.3 cores; the pod-cgroup (container="") and pause (POD) series are left out
    expect(g.cpu.usedCores).toBeGreaterThan(0.6 * 0.95);
    expect(g.cpu.usedCores).toBeLessThan(0.6 * 1.05);
    expect(g.cpu.utilization).toBeGreaterThan(0.6 * 0.95);
    expect(g.cpu.utilization).toBeLessThan(0.6 * 1.05);
    expect(g.memory.usedMiB).toBeCloseTo(600, 3);
    expect(g.memory.utilization).toBeCloseTo(600 / 1024, 4);
    expect(g.replicas).toBe(2);

    expect(g.series.requestsPerSecond.length).toBeGreaterThan(0);
  });

  it('returns per-step series over the window', async () => {
    // Ends at the last backfilled sample: every step then has evenly spaced samples, whereas
    // steps around the hand-over to live scraping depend on when the first scrape happened.
    const end = new Date(e.historyEnd * 1000).toISOString();
    const g = await e.metrics.goldenSignals({
      namespace: 'shop',
      service: 'checkout-api',
      windowMinutes: 10,
      end,
    });
    expect(g.series.step).toBe('10s');
    expect(g.series.requestsPerSecond).toHaveLength(61);
    for (const p of g.series.requestsPerSecond) {
      expect(p.value).toBeGreaterThan(50 * 0.95);
      expect(p.value).toBeLessThan(50 * 1.05);
    }
    const times = g.series.requestsPerSecond.map((p) => Date.parse(p.time));
    expect(times.every((t, i) => i === 0 || t - (times[i - 1] ?? 0) === 10_000)).toBe(true);
    expect(times[0]).toBe(Date.parse(g.window.start));
    expect(times.at(-1)).toBe(Date.parse(g.window.end));
    expect(g.series.latencyP95Ms.every((p) => Math.abs(p.value - 250) < 1)).toBe(true);
    expect(g.series.errorRate.every((p) => Math.abs(p.value - 0.04) < 0.001)).toBe(true);
    expect(g.series.cpuUtilization.every((p) => Math.abs(p.value - 0.6) < 0.03)).toBe(true);
    expect(g.series.cpuUtilization).toHaveLength(61);
  });

  it('keeps services apart by namespace and by exact deployment pods', async () => {
    const decoy = await e.metrics.goldenSignals({
      namespace: 'shop',
      service: 'checkout',
      windowMinutes: 10,
    });
    expect(decoy.requestsPerSecond).toBeGreaterThan(950);
    expect(decoy.cpu.usedCores).toBeGreaterThan(4.7);
    expect(decoy.cpu.usedCores).toBeLessThan(5.3);
    expect(decoy.errorRate).toBe(0); // traffic without any 5xx series
    expect(decoy.replicas).toBe(1);

    const staging = await e.metrics.goldenSignals({
      namespace: 'shop-staging',
      service: 'checkout-api',
      windowMinutes: 10,
    });
    expect(staging.requestsPerSecond).toBeGreaterThan(4.7);
    expect(staging.requestsPerSecond).toBeLessThan(5.3);
    expect(staging.cpu.utilization).toBeCloseTo(0.2, 1);
  });

  it('answers an unknown service with nulls, never zeros', async () => {
    const g = await e.metrics.goldenSignals({ namespace: 'shop', service: 'payments', windowMinutes: 5 });
    expect(g).toMatchObject({
      requestsPerSecond: null,
      errorRate: null,
      latencyMs: { p50: null, p95: null, p99: null },
      cpu: { usedCores: null, utilization: null },
      memory: { usedMiB: null, utilization: null },
      replicas: null,
    });
    expect(g.series.requestsPerSecond).toEqual([]);
  });

  it('evaluates golden signals at a given end time', async () => {
    const end = new Date(Date.now() - 8 * 60_000).toISOString();
    const g = await e.metrics.goldenSignals({
      namespace: 'shop',
      service: 'checkout-api',
      windowMinutes: 5,
      end,
    });
    expect(g.window).toEqual({
      start: new Date(Date.parse(end) - 5 * 60_000).toISOString(),
      end,
      minutes: 5,
    });
    expect(g.requestsPerSecond).toBeGreaterThan(50 * 0.95);
  });

  it('refuses label values that could inject PromQL, before any request', async () => {
    const before = e.requests.length;
    for (const service of ['checkout-api"} or vector(1) #', 'checkout-api\\', 'Checkout', 'a.b', '']) {
      const err = await e.metrics
        .goldenSignals({ namespace: 'shop', service, windowMinutes: 5 })
        .catch((x: unknown) => x);
      expect((err as { code?: string }).code).toBe('invalid_argument');
    }
    const badNs = await e.metrics
      .goldenSignals({ namespace: 'shop"}', service: 'checkout-api', windowMinutes: 5 })
      .catch((x: unknown) => x);
    expect((badNs as { code?: string }).code).toBe('invalid_argument');
    expect(e.requests.length).toBe(before);
  });

  it('maps Prometheus bad_data errors to invalid_argument with its message', async () => {
    const err = await e.metrics.instantQuery('sum(rate(http_requests_total[5m])').catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'invalid_argument' });
    expect((err as Error).message).toMatch(/^invalid PromQL request: .*parse error/);

    const range = await e.metrics
      .rangeQuery(
        'rate(http_requests_total[5m)',
        new Date(Date.now() - 60_000).toISOString(),
        new Date().toISOString(),
        15,
      )
      .catch((x: unknown) => x);
    expect(range).toMatchObject({ code: 'invalid_argument' });

    // a query Prometheus parses but refuses to evaluate with bad_data: a range vector in a range query
    const badRange = await e.metrics
      .rangeQuery(
        'http_requests_total[1m]',
        new Date(Date.now() - 60_000).toISOString(),
        new Date().toISOString(),
        15,
      )
      .catch((x: unknown) => x);
    expect(badRange).toMatchObject({ code: 'invalid_argument' });
  });

  it('answers instant queries at a past time from the backfilled history', async () => {
    const at = Math.floor(Date.now() / 1000) - 12 * 60;
    const [s] = await e.metrics.instantQuery(
      'http_requests_total{namespace="shop",service="checkout-api",code="200"}',
      new Date(at * 1000).toISOString(),
    );
    // the counter is 48 * (t - origin); lookback returns the last sample at or before `at`
    expect(s?.value).toBeLessThanOrEqual(48 * (at - e.origin));
    expect(s?.value).toBeGreaterThanOrEqual(48 * (at - e.origin - HISTORY_STEP_S));
    expect(s?.labels).toMatchObject({
      namespace: 'shop',
      service: 'checkout-api',
      code: '200',
      job: 'exporter',
    });
  });

  it('returns range series and raw samples of range selectors', async () => {
    const end = await e.metrics.now();
    const start = new Date(Date.parse(end) - 5 * 60_000).toISOString();
    const series = await e.metrics.rangeQuery(
      'sum by (service) (rate(http_requests_total{namespace="shop"}[30s]))',
      start,
      end,
      30,
    );
    expect(series.map((s) => s.labels.service).sort()).toEqual(['checkout', 'checkout-api']);
    expect(series[0]?.points.length).toBeGreaterThanOrEqual(10);

    const raw = await e.metrics.instantQuery(
      'kube_deployment_status_replicas_available{namespace="shop",deployment="checkout-api"}[30s]',
    );
    expect(raw.length).toBeGreaterThan(1);
    expect(raw.every((r) => r.value === 2)).toBe(true);

    const scalar = await e.metrics.instantQuery(
      'scalar(sum(kube_deployment_status_replicas_available{namespace="shop"}))',
    );
    expect(scalar).toHaveLength(1);
    expect(scalar[0]?.value).toBe(3);
  });

  it('refuses range requests Prometheus would reject, before sending them', async () => {
    const before = e.requests.length;
    const end = new Date().toISOString();
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
    await expect(e.metrics.rangeQuery('up', dayAgo, end, 1)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(e.metrics.rangeQuery('up', end, dayAgo, 60)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(e.metrics.rangeQuery('up', dayAgo, end, 0)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(e.metrics.instantQuery('up', 'yesterday')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(e.metrics.instantQuery('   ')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(e.requests.length).toBe(before);
  });

  it('lists firing and pending alerts with severity, labels and annotations', async () => {
    const alerts = await e.metrics.activeAlerts();
    const firing = alerts.filter((a) => a.name === 'CheckoutErrors5xx');
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({
      state: 'firing',
      severity: 'critical',
      labels: {
        alertname: 'CheckoutErrors5xx',
        namespace: 'shop',
        service: 'checkout-api',
        severity: 'critical',
      },
      annotations: { summary: 'checkout-api in shop returns 5xx' },
    });
    // the alert's value is the 5xx rate at the last evaluation (2/s in the model)
    expect(firing[0]?.value).toBeGreaterThan(1);
    expect(firing[0]?.value).toBeLessThan(3);
    expect(Date.parse(firing[0]?.activeAt ?? '')).toBeLessThanOrEqual(Date.now());

    const pending = alerts.filter((a) => a.name === 'TrafficForAnHour');
    expect(pending.map((a) => [a.state, a.labels.service]).sort()).toEqual([
      ['pending', 'checkout'],
      ['pending', 'checkout-api'],
    ]);
    // firing first
    expect(alerts[0]?.state).toBe('firing');
  });

  it("reports Prometheus' clock", async () => {
    const now = Date.parse(await e.metrics.now());
    expect(Math.abs(now - Date.now())).toBeLessThan(5_000);
  });

  it('reports an unreachable Prometheus as backend_error', async () => {
    const port = await closedPort();
    const dead = createPrometheusMetrics({ url: `http://127.0.0.1:${port}`, timeoutMs: 2_000 });
    await expect(dead.now()).rejects.toMatchObject({
      code: 'backend_error',
      message: `cannot reach Prometheus at http://127.0.0.1:${port} (ECONNREFUSED)`,
    });
  });
});

describe('the Prometheus test harness', () => {
  it('fails loudly (never skips) when the prometheus binary is missing', async () => {
    const err = await startPrometheus({
      targets: ['127.0.0.1:9'],
      prometheusBin: 'prometheus-not-installed-xyz',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusStartError);
    expect((err as Error).message).toMatch(/prometheus-not-installed-xyz not found on PATH/);
  });
});
