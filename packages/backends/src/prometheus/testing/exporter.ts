/**
 * A small metrics exporter for tests against a real Prometheus: node:http on 127.0.0.1 serving
 * the text exposition format with the metric names the standard exporters use (an instrumented
 * HTTP service, cAdvisor, kube-state-metrics). Every counter is a linear function of wall time, so
 * the same model can also write the past into OpenMetrics for `promtool tsdb
 * create-blocks-from openmetrics` (history without waiting) and live scrapes continue it exactly.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServiceModel {
  namespace: string;
  service: string;
  /** Pod names, `<deployment>-<hash>-<suffix>` as a Deployment names them. */
  pods: string[];
  /** Requests per second by status code. */
  rpsByCode: Record<string, number>;
  /** Cumulative share of requests at or below each bucket bound (seconds); must end with +Inf = 1. */
  latencyCdf: Array<[le: string, share: number]>;
  cpuCoresPerPod: number;
  cpuRequestCoresPerPod: number;
  memoryBytesPerPod: number;
  memoryRequestBytesPerPod: number;
  availableReplicas: number;
}

export const DEFAULT_LATENCY_CDF: Array<[string, number]> = [
  ['0.025', 0.2],
  ['0.05', 0.5],
  ['0.1', 0.8],
  ['0.25', 0.95],
  ['0.5', 0.99],
  ['1', 1],
  ['+Inf', 1],
];

interface Sample {
  family: string;
  type: 'counter' | 'gauge' | 'histogram';
  name: string;
  labels: Record<string, string>;
  value: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function fmtLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function fmtValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return v.toPrecision(15).replace(/0+$/, '').replace(/\.$/, '');
}

/** All samples of the model at `seconds` since the model's origin. */
export function modelSamples(services: ServiceModel[], elapsedSeconds: number): Sample[] {
  const out: Sample[] = [];
  const t = Math.max(0, elapsedSeconds);
  for (const s of services) {
    const base = { namespace: s.namespace, service: s.service };
    const total = Object.values(s.rpsByCode).reduce((a, b) => a + b, 0);
    for (const [code, rps] of Object.entries(s.rpsByCode)) {
      out.push({
        family: 'http_requests',
        type: 'counter',
        name: 'http_requests_total',
        labels: { ...base, code, method: 'GET' },
        value: rps * t,
      });
    }
    for (const [le, share] of s.latencyCdf) {
      out.push({
        family: 'http_request_duration_seconds',
        type: 'histogram',
        name: 'http_request_duration_seconds_bucket',
        labels: { ...base, le },
        value: total * share * t,
      });
    }
    out.push({
      family: 'http_request_duration_seconds',
      type: 'histogram',
      name: 'http_request_duration_seconds_sum',
      labels: base,
      value: total * 0.06 * t,
    });
    out.push({
      family: 'http_request_duration_seconds',
      type: 'histogram',
      name: 'http_request_duration_seconds_count',
      labels: base,
      value: total * t,
    });
    for (const pod of s.pods) {
      const container = s.service;
      const cadvisor = { namespace: s.namespace, pod };
      // cAdvisor exports the container, the pod cgroup (container="") and the pause container;
      // only the first may be counted.
      out.push({
        family: 'container_cpu_usage_seconds',
        type: 'counter',
        name: 'container_cpu_usage_seconds_total',
        labels: { ...cadvisor, container },
        value: s.cpuCoresPerPod * t,
      });
      out.push({
        family: 'container_cpu_usage_seconds',
        type: 'counter',
        name: 'container_cpu_usage_seconds_total',
        labels: { ...cadvisor, container: '' },
        value: s.cpuCoresPerPod * 1.02 * t,
      });
      out.push({
        family: 'container_cpu_usage_seconds',
        type: 'counter',
        name: 'container_cpu_usage_seconds_total',
        labels: { ...cadvisor, container: 'POD' },
        value: 0.001 * t,
      });
      out.push({
        family: 'container_memory_working_set_bytes',
        type: 'gauge',
        name: 'container_memory_working_set_bytes',
        labels: { ...cadvisor, container },
        value: s.memoryBytesPerPod,
      });
      out.push({
        family: 'container_memory_working_set_bytes',
        type: 'gauge',
        name: 'container_memory_working_set_bytes',
        labels: { ...cadvisor, container: '' },
        value: s.memoryBytesPerPod * 1.1,
      });
      out.push({
        family: 'kube_pod_container_resource_requests',
        type: 'gauge',
        name: 'kube_pod_container_resource_requests',
        labels: { ...cadvisor, container, resource: 'cpu', unit: 'core' },
        value: s.cpuRequestCoresPerPod,
      });
      out.push({
        family: 'kube_pod_container_resource_requests',
        type: 'gauge',
        name: 'kube_pod_container_resource_requests',
        labels: { ...cadvisor, container, resource: 'memory', unit: 'byte' },
        value: s.memoryRequestBytesPerPod,
      });
    }
    out.push({
      family: 'kube_deployment_status_replicas_available',
      type: 'gauge',
      name: 'kube_deployment_status_replicas_available',
      labels: { namespace: s.namespace, deployment: s.service },
      value: s.availableReplicas,
    });
  }
  return out;
}

/** Prometheus text exposition format 0.0.4, families grouped. */
export function renderExposition(samples: Sample[]): string {
  const byFamily = new Map<string, Sample[]>();
  for (const s of samples) byFamily.set(s.family, [...(byFamily.get(s.family) ?? []), s]);
  const lines: string[] = [];
  for (const [family, list] of byFamily) {
    const type = list[0]?.type ?? 'untyped';
    const name = type === 'counter' ? `${family}_total` : family;
    lines.push(`# HELP ${name} test exporter`, `# TYPE ${name} ${type}`);
    for (const s of list) lines.push(`${s.name}${fmtLabels(s.labels)} ${fmtValue(s.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * OpenMetrics text with timestamps for backfilling: every series at each time in `times`
 * (unix seconds), families contiguous and each series' samples in time order. `targetLabels`
 * are the labels Prometheus will attach to live scrapes (`job`, `instance`), so the backfilled
 * history and the live samples form the same series.
 */
export function renderOpenMetricsHistory(
  services: ServiceModel[],
  originSeconds: number,
  times: number[],
  targetLabels: Record<string, string> = {},
): string {
  const perTime = times.map((ts) => ({ ts, samples: modelSamples(services, ts - originSeconds) }));
  const first = perTime[0]?.samples ?? [];
  const lines: string[] = [];
  let family = '';
  for (let i = 0; i < first.length; i++) {
    const head = first[i];
    if (!head) continue;
    if (head.family !== family) {
      family = head.family;
      lines.push(`# TYPE ${family} ${head.type}`);
    }
    for (const { ts, samples } of perTime) {
      const s = samples[i];
      if (s)
        lines.push(
          `${s.name}${fmtLabels({ ...s.labels, ...targetLabels })} ${fmtValue(s.value)} ${ts.toFixed(3)}`,
        );
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

export interface TestExporter {
  url: string;
  /** host:port for a scrape target */
  target: string;
  scrapes: () => number;
  close(): Promise<void>;
}

export async function startTestExporter(
  services: ServiceModel[],
  originSeconds: number,
): Promise<TestExporter> {
  let scrapes = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    scrapes++;
    const body = renderExposition(modelSamples(services, Date.now() / 1000 - originSeconds));
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    target: `127.0.0.1:${port}`,
    scrapes: () => scrapes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
