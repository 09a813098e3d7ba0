/**
 * MetricsPort over the Prometheus HTTP API. Golden signals come from configurable PromQL
 * templates (./promql.ts) whose defaults fit the standard exporters: an HTTP server instrumented
 * with `http_requests_total` / `http_request_duration_seconds`, cAdvisor (kubelet) and
 * kube-state-metrics.
 */
import {
  type AlertInfo,
  DevopsAiError,
  type GoldenSignals,
  type GoldenSignalsRequest,
  type InstantSample,
  InvalidArgumentError,
  type MetricsPort,
  type RangeSeries,
} from '@devops-ai/core';
import { z } from 'zod';
import { check, namespaceNameSchema, serviceNameSchema } from '../shared/names.js';
import { PrometheusClient, type PromQueryData, parseSampleValue } from './client.js';
import { DEFAULT_TEMPLATES, type GoldenSignalTemplates, renderTemplate, templatesSchema } from './promql.js';

export const prometheusMetricsConfigSchema = z
  .object({
    /** Base URL of Prometheus, e.g. http://prometheus.monitoring:9090 (a path prefix is kept). */
    url: z.url({ protocol: /^https?$/ }),
    bearerToken: z.string().min(1).optional(),
    basicAuth: z
      .object({ username: z.string().min(1), password: z.string() })
      .strict()
      .optional(),
    /** Per-request timeout; Prometheus is asked to stop one second earlier. */
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    /** `server`: now() is Prometheus' time(); `wall`: this machine's clock. */
    clock: z.enum(['server', 'wall']).default('server'),
    /** Range of rate() in the per-step series; keep it at least 4 scrape intervals. */
    rateIntervalSeconds: z.number().int().min(1).max(3600).default(120),
    /** Upper bound on points per golden-signal series (sets the step). */
    maxSeriesPoints: z.number().int().min(2).max(11_000).default(60),
    /** Overrides of the golden-signal PromQL templates (see DEFAULT_TEMPLATES). */
    templates: templatesSchema.default({}),
  })
  .strict()
  .refine((c) => !(c.bearerToken && c.basicAuth), {
    message: 'bearerToken and basicAuth are mutually exclusive',
  });

export type PrometheusMetricsConfig = z.output<typeof prometheusMetricsConfigSchema>;
export type PrometheusMetricsConfigInput = z.input<typeof prometheusMetricsConfigSchema>;

export interface PrometheusMetricsDeps {
  fetch?: typeof fetch;
}

const MAX_QUERY_LENGTH = 20_000;
/** Prometheus refuses range queries above 11,000 points per series. */
const MAX_RANGE_POINTS = 11_000;
const queryTextSchema = z.string().trim().min(1, 'query is empty').max(MAX_QUERY_LENGTH);
const windowMinutesSchema = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60);

function isoToSeconds(iso: string, field: string): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms))
    throw new InvalidArgumentError(`invalid ${field} ${JSON.stringify(iso)}: expected an ISO-8601 time`);
  return ms / 1000;
}

function secondsToIso(s: number): string {
  return new Date(Math.round(s * 1000)).toISOString();
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** The single value of an aggregated instant query (vector of one sample, or a scalar). */
function singleValue(d: PromQueryData): number | null {
  if (d.resultType === 'scalar') return finiteOrNull(parseSampleValue(d.result[1]));
  if (d.resultType === 'vector') {
    const first = d.result[0];
    return first ? finiteOrNull(parseSampleValue(first.value[1])) : null;
  }
  return null;
}

function firstSeries(d: PromQueryData, scale = 1): Array<{ time: string; value: number }> {
  if (d.resultType !== 'matrix') return [];
  return (d.result[0]?.values ?? [])
    .map(([t, v]) => ({ time: secondsToIso(t), value: parseSampleValue(v) * scale }))
    .filter((p) => Number.isFinite(p.value));
}

/** Split user:password out of the URL (fetch refuses URLs with credentials) and drop a trailing slash. */
function normaliseUrl(cfg: PrometheusMetricsConfig): {
  url: string;
  basicAuth: PrometheusMetricsConfig['basicAuth'];
} {
  const u = new URL(cfg.url);
  let basicAuth = cfg.basicAuth;
  if (u.username && !basicAuth && !cfg.bearerToken) {
    basicAuth = { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  }
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  return { url: u.toString().replace(/\/+$/, ''), basicAuth };
}

export class PrometheusMetrics implements MetricsPort {
  readonly backend: string;
  private readonly client: PrometheusClient;
  private readonly templates: GoldenSignalTemplates;

  constructor(
    private readonly cfg: PrometheusMetricsConfig,
    deps: PrometheusMetricsDeps = {},
  ) {
    const { url, basicAuth } = normaliseUrl(cfg);
    const headers: Record<string, string> = {};
    if (cfg.bearerToken) headers.Authorization = `Bearer ${cfg.bearerToken}`;
    else if (basicAuth) {
      headers.Authorization = `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64')}`;
    }
    this.client = new PrometheusClient({
      url,
      headers,
      timeoutMs: cfg.timeoutMs,
      fetch: deps.fetch ?? fetch,
    });
    const overrides: Partial<Record<string, string>> = cfg.templates;
    this.templates = Object.fromEntries(
      Object.entries(DEFAULT_TEMPLATES).map(([k, v]) => [k, overrides[k] ?? v]),
    ) as GoldenSignalTemplates;
    this.backend = `prometheus (${url})`;
  }

  async now(): Promise<string> {
    if (this.cfg.clock === 'wall') return new Date().toISOString();
    return secondsToIso(await this.nowSeconds());
  }

  private async nowSeconds(): Promise<number> {
    if (this.cfg.clock === 'wall') return Date.now() / 1000;
    const v = singleValue(await this.client.query('time()'));
    if (v === null) throw new DevopsAiError('backend_error', 'Prometheus returned no value for time()');
    return v;
  }

  async instantQuery(query: string, time?: string): Promise<InstantSample[]> {
    const q = check(queryTextSchema, query, 'query');
    const at = time === undefined ? undefined : isoToSeconds(time, 'time');
    const d = await this.client.query(q, at);
    switch (d.resultType) {
      case 'vector':
        return d.result.map((s) => ({
          labels: { ...s.metric },
          time: secondsToIso(s.value[0]),
          value: parseSampleValue(s.value[1]),
        }));
      case 'scalar':
        return [{ labels: {}, time: secondsToIso(d.result[0]), value: parseSampleValue(d.result[1]) }];
      case 'matrix':
        // A range-vector selector (`up[5m]`) evaluated at one instant: every raw sample.
        return d.result.flatMap((s) =>
          s.values.map(([t, v]) => ({
            labels: { ...s.metric },
            time: secondsToIso(t),
            value: parseSampleValue(v),
          })),
        );
      default:
        throw new InvalidArgumentError('the query evaluates to a string, not to numbers');
    }
  }

  async rangeQuery(query: string, start: string, end: string, stepSeconds: number): Promise<RangeSeries[]> {
    const q = check(queryTextSchema, query, 'query');
    const s = isoToSeconds(start, 'start');
    const e = isoToSeconds(end, 'end');
    const step = check(z.number().positive().max(86_400), stepSeconds, 'stepSeconds');
    if (e < s) throw new InvalidArgumentError('end must not be before start');
    if ((e - s) / step > MAX_RANGE_POINTS) {
      throw new InvalidArgumentError(
        `range of ${Math.round(e - s)} s at a ${step} s step exceeds ${MAX_RANGE_POINTS} points; use a larger step`,
      );
    }
    const d = await this.client.queryRange(q, s, e, step);
    if (d.resultType !== 'matrix')
      throw new InvalidArgumentError(`expected a range result, got ${d.resultType}`);
    return d.result.map((r) => ({
      labels: { ...r.metric },
      points: r.values.map(([t, v]) => ({ time: secondsToIso(t), value: parseSampleValue(v) })),
    }));
  }

  async goldenSignals(req: GoldenSignalsRequest): Promise<GoldenSignals> {
    const namespace = check(namespaceNameSchema, req.namespace, 'namespace');
    const service = check(serviceNameSchema, req.service, 'service');
    const minutes = check(windowMinutesSchema, req.windowMinutes, 'windowMinutes');
    const endMs = Math.round(
      1000 * (req.end !== undefined ? isoToSeconds(req.end, 'end') : await this.nowSeconds()),
    );
    const startMs = endMs - minutes * 60_000;
    const end = endMs / 1000;
    const windowSeconds = minutes * 60;
    const t = this.templates;
    const at = (template: string, quantile?: number) =>
      this.client
        .query(
          renderTemplate(template, {
            namespace,
            service,
            windowSeconds,
            ...(quantile !== undefined ? { quantile } : {}),
          }),
          end,
        )
        .then(singleValue);

    const step = Math.max(1, Math.ceil(windowSeconds / this.cfg.maxSeriesPoints));
    const seriesWindow = Math.max(step, this.cfg.rateIntervalSeconds);
    const sv = { namespace, service, windowSeconds: seriesWindow };
    const range = (promql: string, scale = 1) =>
      this.client.queryRange(promql, startMs / 1000, end, step).then((d) => firstSeries(d, scale));

    const [
      rps,
      errorRate,
      p50,
      p95,
      p99,
      cpuUsed,
      cpuReq,
      memUsed,
      memReq,
      replicas,
      sRps,
      sP95,
      sErr,
      sCpu,
    ] = await Promise.all([
      at(t.requestsPerSecond),
      at(t.errorRate),
      at(t.latencySeconds, 0.5),
      at(t.latencySeconds, 0.95),
      at(t.latencySeconds, 0.99),
      at(t.cpuUsedCores),
      at(t.cpuRequestedCores),
      at(t.memoryUsedBytes),
      at(t.memoryRequestedBytes),
      at(t.replicas),
      range(renderTemplate(t.requestsPerSecond, sv)),
      range(renderTemplate(t.latencySeconds, { ...sv, quantile: 0.95 }), 1000),
      range(renderTemplate(t.errorRate, sv)),
      range(`(${renderTemplate(t.cpuUsedCores, sv)}) / (${renderTemplate(t.cpuRequestedCores, sv)})`),
    ]);

    const ms = (s: number | null) => (s === null ? null : s * 1000);
    const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);
    return {
      namespace,
      service,
      window: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), minutes },
      requestsPerSecond: rps,
      errorRate: errorRate === null ? null : Math.min(1, Math.max(0, errorRate)),
      latencyMs: { p50: ms(p50), p95: ms(p95), p99: ms(p99) },
      cpu: { usedCores: cpuUsed, utilization: ratio(cpuUsed, cpuReq) },
      memory: { usedMiB: memUsed === null ? null : memUsed / 2 ** 20, utilization: ratio(memUsed, memReq) },
      replicas,
      series: {
        step: `${step}s`,
        requestsPerSecond: sRps,
        latencyP95Ms: sP95,
        errorRate: sErr,
        cpuUtilization: sCpu,
      },
    };
  }

  async activeAlerts(): Promise<AlertInfo[]> {
    const alerts = await this.client.alerts();
    return alerts
      .filter((a) => a.state === 'firing' || a.state === 'pending')
      .map((a) => ({
        name: a.labels.alertname ?? '',
        state: a.state,
        severity: a.labels.severity ?? null,
        labels: { ...a.labels },
        annotations: { ...a.annotations },
        activeAt:
          a.activeAt && !Number.isNaN(Date.parse(a.activeAt))
            ? new Date(Date.parse(a.activeAt)).toISOString()
            : null,
        value: a.value === undefined ? null : finiteOrNull(parseSampleValue(a.value)),
      }))
      .filter((a) => a.name.length > 0)
      .sort((x, y) => (x.state === y.state ? x.name.localeCompare(y.name) : x.state === 'firing' ? -1 : 1));
  }

  async close(): Promise<void> {
    // fetch keeps no per-instance resources.
  }
}

export function createPrometheusMetrics(
  config: PrometheusMetricsConfigInput,
  deps: PrometheusMetricsDeps = {},
): PrometheusMetrics {
  const parsed = prometheusMetricsConfigSchema.safeParse(config);
  if (!parsed.success) {
    // Messages name fields, never values: a bad token must not end up in a log line.
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new DevopsAiError('config_error', `invalid Prometheus configuration: ${why}`);
  }
  return new PrometheusMetrics(parsed.data, deps);
}
