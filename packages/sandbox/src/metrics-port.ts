import {
  type AlertInfo,
  type GoldenSignals,
  type GoldenSignalsRequest,
  type InstantSample,
  InvalidArgumentError,
  type MetricsPort,
  NotFoundError,
  type RangeSeries,
} from '@devops-ai/core';
import { z } from 'zod';
import { evaluateAlerts } from './alerts.js';
import { NAMESPACES, RETENTION_MINUTES, SERVICE_NAMES } from './model.js';
import { instantQuery, rangeQuery } from './promql.js';
import type { ServiceSampleRow } from './store.js';
import type { WorldCore } from './world-core.js';

const goldenSchema = z
  .object({
    namespace: z.string().min(1),
    service: z.string().min(1),
    windowMinutes: z.number().int().min(1).max(RETENTION_MINUTES),
    end: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

function parseTime(value: string | undefined, fallbackMs: number, what: string): number {
  if (value === undefined) return fallbackMs;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`${what} is not an ISO-8601 time: ${value}`);
  return ms;
}

/** At most this many points per golden-signal series; longer windows are averaged into wider steps. */
const MAX_SERIES_POINTS = 120;

export class SandboxMetricsPort implements MetricsPort {
  readonly backend = 'sandbox';
  constructor(private readonly core: WorldCore) {}

  async now(): Promise<string> {
    return new Date(this.core.state().clockMs).toISOString();
  }

  async instantQuery(query: string, time?: string): Promise<InstantSample[]> {
    return this.core.store.read(() => {
      const t = parseTime(time, this.core.state().clockMs, 'time');
      return instantQuery(this.core.store, query, t);
    });
  }

  async rangeQuery(query: string, start: string, end: string, stepSeconds: number): Promise<RangeSeries[]> {
    return this.core.store.read(() =>
      rangeQuery(
        this.core.store,
        query,
        parseTime(start, Number.NaN, 'start'),
        parseTime(end, Number.NaN, 'end'),
        stepSeconds,
      ),
    );
  }

  async goldenSignals(req: GoldenSignalsRequest): Promise<GoldenSignals> {
    const parsed = goldenSchema.safeParse(req);
    if (!parsed.success) {
      throw new InvalidArgumentError(
        `invalid golden-signals request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const r = parsed.data;
    if (!(NAMESPACES as readonly string[]).includes(r.namespace))
      throw new NotFoundError('namespace', r.namespace);
    if (!(SERVICE_NAMES as readonly string[]).includes(r.service))
      throw new NotFoundError('service', r.service, r.namespace);
    return this.core.store.read(() => {
      const state = this.core.state();
      const endMs = parseTime(r.end, state.clockMs, 'end');
      const startMs = endMs - r.windowMinutes * 60_000;
      // Samples at minute m describe the instant m*60s; the window is (start, end].
      const rows = this.core.store
        .serviceSamples(Math.floor(startMs / 60_000) + 1, Math.floor(endMs / 60_000), r.namespace, r.service)
        .filter((s) => s.minute * 60_000 > startMs && s.minute * 60_000 <= endMs);
      return summarise(r.namespace, r.service, startMs, endMs, r.windowMinutes, rows);
    });
  }

  async activeAlerts(): Promise<AlertInfo[]> {
    return this.core.store.read(() => evaluateAlerts(this.core.store, this.core.state()));
  }
}

function summarise(
  namespace: string,
  service: string,
  startMs: number,
  endMs: number,
  minutes: number,
  rows: ServiceSampleRow[],
): GoldenSignals {
  const window = { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), minutes };
  const stepMinutes = Math.max(1, Math.ceil(minutes / MAX_SERIES_POINTS));
  const empty = {
    namespace,
    service,
    window,
    requestsPerSecond: null,
    errorRate: null,
    latencyMs: { p50: null, p95: null, p99: null },
    cpu: { usedCores: null, utilization: null },
    memory: { usedMiB: null, utilization: null },
    replicas: null,
    series: {
      step: `${stepMinutes * 60}s`,
      requestsPerSecond: [],
      latencyP95Ms: [],
      errorRate: [],
      cpuUtilization: [],
    },
  };
  if (rows.length === 0) return empty;
  const n = rows.length;
  const mean = (f: (r: ServiceSampleRow) => number) => rows.reduce((s, r) => s + f(r), 0) / n;
  const totalRps = rows.reduce((s, r) => s + r.rps, 0);
  // Request-weighted error rate and latency (what a histogram over the window would give, approximately).
  const weighted = (f: (r: ServiceSampleRow) => number) =>
    totalRps > 0 ? rows.reduce((s, r) => s + f(r) * r.rps, 0) / totalRps : mean(f);
  const cpuUsed = mean((r) => r.cpu);
  const cpuReq = mean((r) => r.cpu_requests);
  const mem = mean((r) => r.mem);
  const memReq = mean((r) => r.mem_requests);
  const last = rows[rows.length - 1];
  const buckets = new Map<number, ServiceSampleRow[]>();
  for (const r of rows) {
    const b = Math.floor((r.minute * 60_000 - startMs - 1) / (stepMinutes * 60_000));
    let list = buckets.get(b);
    if (!list) {
      list = [];
      buckets.set(b, list);
    }
    list.push(r);
  }
  const series: GoldenSignals['series'] = {
    step: `${stepMinutes * 60}s`,
    requestsPerSecond: [],
    latencyP95Ms: [],
    errorRate: [],
    cpuUtilization: [],
  };
  for (const [, list] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
    const lastRow = list[list.length - 1];
    if (!lastRow) continue;
    const time = new Date(lastRow.minute * 60_000).toISOString();
    const avg = (f: (r: ServiceSampleRow) => number) => list.reduce((s, r) => s + f(r), 0) / list.length;
    series.requestsPerSecond.push({
      time,
      value: round(
        avg((r) => r.rps),
        3,
      ),
    });
    series.latencyP95Ms.push({
      time,
      value: round(
        avg((r) => r.p95),
        1,
      ),
    });
    series.errorRate.push({
      time,
      value: round(
        avg((r) => r.error_ratio),
        5,
      ),
    });
    series.cpuUtilization.push({
      time,
      value: round(
        avg((r) => (r.cpu_requests > 0 ? r.cpu / r.cpu_requests : 0)),
        4,
      ),
    });
  }
  return {
    namespace,
    service,
    window,
    requestsPerSecond: round(
      mean((r) => r.rps),
      3,
    ),
    errorRate: round(
      weighted((r) => r.error_ratio),
      5,
    ),
    latencyMs: {
      p50: round(
        weighted((r) => r.p50),
        1,
      ),
      p95: round(
        weighted((r) => r.p95),
        1,
      ),
      p99: round(
        weighted((r) => r.p99),
        1,
      ),
    },
    cpu: { usedCores: round(cpuUsed, 4), utilization: cpuReq > 0 ? round(cpuUsed / cpuReq, 4) : null },
    memory: { usedMiB: round(mem, 1), utilization: memReq > 0 ? round(mem / memReq, 4) : null },
    replicas: last ? last.available_replicas : null,
    series,
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
