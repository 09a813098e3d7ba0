import type { HostUser } from '../../users.js';
import type { ToolReader } from '../tool-reader.js';
import type { ReplyImage } from '../types.js';
import { type ChartEvent, type ChartPanel, type PanelMetric, renderChart } from './render.js';

export interface GraphRequest {
  namespace: string;
  service: string;
  metrics: PanelMetric[];
  windowMinutes: number;
}

export interface GrafanaPanelRequest {
  dashboardUid: string;
  panelId: number;
  windowMinutes: number;
}

export type GraphOutcome =
  | { ok: true; image: ReplyImage; text: string; svg?: string; width: number; height: number }
  | { ok: false; message: string };

const DNS = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ALL: PanelMetric[] = ['cpu', 'replicas', 'requests', 'latency'];
const METRIC_ALIASES: Record<string, PanelMetric[]> = {
  cpu: ['cpu'],
  replicas: ['replicas'],
  pods: ['replicas'],
  requests: ['requests'],
  rps: ['requests'],
  traffic: ['requests'],
  latency: ['latency'],
  p95: ['latency'],
  all: ALL,
};

export const GRAPH_USAGE =
  'usage: /graph <service> [cpu|replicas|requests|latency|all] [30m|2h|1d] (namespace: prod/<service>), or /graph <dashboard uid>/<panel id> [window] with Grafana';

function parseWindow(s: string): number | null {
  const m = /^(\d{1,4})(m|h|d)$/.exec(s);
  if (!m?.[1]) return null;
  const n = Number(m[1]) * (m[2] === 'h' ? 60 : m[2] === 'd' ? 1440 : 1);
  return n >= 5 && n <= 7 * 1440 ? n : null;
}

/** `/graph` arguments → a request, or a message saying what is wrong. */
export function parseGraphArgs(
  args: string[],
  opts: { grafana: boolean },
):
  | { kind: 'metrics'; req: GraphRequest }
  | { kind: 'grafana'; req: GrafanaPanelRequest }
  | { kind: 'error'; message: string } {
  const [target, ...rest] = args.map((a) => a.toLowerCase());
  if (!target) return { kind: 'error', message: GRAPH_USAGE };
  let windowMinutes = 60;
  const metrics = new Set<PanelMetric>();
  for (const a of rest) {
    const w = parseWindow(a);
    if (w !== null) windowMinutes = w;
    else if (METRIC_ALIASES[a]) for (const m of METRIC_ALIASES[a]) metrics.add(m);
    else return { kind: 'error', message: `unknown metric or window "${a}". ${GRAPH_USAGE}` };
  }
  const panel = /^([a-z0-9_-]{1,40})\/(\d{1,6})$/.exec(target);
  if (panel?.[1] && panel[2]) {
    if (!opts.grafana)
      return {
        kind: 'error',
        message: 'Grafana is not configured (GRAFANA_URL, GRAFANA_TOKEN): no dashboard panels',
      };
    return { kind: 'grafana', req: { dashboardUid: panel[1], panelId: Number(panel[2]), windowMinutes } };
  }
  const [ns, svc] = target.includes('/') ? target.split('/', 2) : ['prod', target];
  if (!ns || !svc || !DNS.test(ns) || !DNS.test(svc))
    return { kind: 'error', message: `"${target}" is not a service name. ${GRAPH_USAGE}` };
  return {
    kind: 'metrics',
    req: { namespace: ns, service: svc, metrics: metrics.size > 0 ? [...metrics] : ALL, windowMinutes },
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface Golden {
  window: { start: string; end: string; minutes: number };
  cpu: { usedCores: number | null; utilization: number | null };
  replicas: number | null;
  series: {
    requestsPerSecond: Array<{ time: string; value: number }>;
    latencyP95Ms: Array<{ time: string; value: number }>;
  };
}
interface RangeData {
  series: Array<{ labels: Record<string, string>; points: Array<{ time: string; value: number }> }>;
}
interface Hpa {
  name: string;
  target: { name: string };
  minReplicas: number;
  maxReplicas: number;
  targetCpuUtilization: number | null;
}
interface KEvent {
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
  lastTimestamp: string;
}

export interface GraphServiceDeps {
  read: ToolReader;
  grafana?: { url: string; token: string } | undefined;
  fetch?: typeof fetch;
}

/**
 * `/graph`: metrics read through the metrics MCP server (golden signals and range queries) and the k8s
 * server (HPA, events), on behalf of the asking user, drawn as one PNG. With Grafana configured,
 * `<dashboard>/<panel>` comes from Grafana's render API instead.
 */
export function createGraphService(deps: GraphServiceDeps) {
  async function metricsChart(
    user: HostUser,
    req: GraphRequest,
    conversation: string | null,
  ): Promise<GraphOutcome> {
    const { namespace, service } = req;
    const golden = await deps.read(
      user,
      'metrics_get_golden_signals',
      { namespace, service, windowMinutes: req.windowMinutes },
      conversation,
    );
    if (!golden.ok)
      return { ok: false, message: `cannot read metrics of ${namespace}/${service}: ${golden.message}` };
    const g = golden.data as Golden;
    const stepSeconds = Math.max(60, Math.round((req.windowMinutes * 60) / 240 / 60) * 60);
    const range = async (query: string) => {
      const r = await deps.read(
        user,
        'metrics_query_range',
        { query, start: g.window.start, end: g.window.end, stepSeconds },
        conversation,
      );
      return r.ok ? (r.data as RangeData).series : null;
    };
    const [hpas, events] = await Promise.all([
      deps.read(user, 'k8s_list_hpas', { namespace }, conversation),
      deps.read(user, 'k8s_list_events', { namespace, object: service, limit: 50 }, conversation),
    ]);
    const hpa = hpas.ok
      ? ((hpas.data as { hpas?: Hpa[] }).hpas ?? []).find(
          (h) => h.target.name === service || h.name === service,
        )
      : undefined;
    const startMs = Date.parse(g.window.start);
    const chartEvents: ChartEvent[] = events.ok
      ? ((events.data as { events?: KEvent[] }).events ?? [])
          .filter((e) => Date.parse(e.lastTimestamp) >= startMs)
          .slice(-20)
          .map((e) => ({ time: e.lastTimestamp, label: `${e.reason}: ${e.message}`.slice(0, 120) }))
      : [];

    const panels: ChartPanel[] = [];
    const missing: string[] = [];
    for (const metric of req.metrics) {
      if (metric === 'cpu') {
        const series = await range(
          `sum by (pod) (pod:cpu_usage_cores{namespace="${namespace}",service="${service}"})`,
        );
        if (!series || series.length === 0) {
          missing.push('cpu');
          continue;
        }
        const rules: ChartPanel['rules'] = [];
        const used = num(g.cpu.usedCores);
        const util = num(g.cpu.utilization);
        const replicas = num(g.replicas);
        if (hpa?.targetCpuUtilization != null && used && util && replicas) {
          // Requests per pod = used / utilisation / pods; the HPA target is a share of requests.
          const perPodRequest = used / util / replicas;
          rules.push({
            value: (perPodRequest * hpa.targetCpuUtilization) / 100,
            label: `HPA target ${hpa.targetCpuUtilization}% of requests`,
          });
        }
        panels.push({
          metric,
          title: `CPU per pod${hpa?.targetCpuUtilization != null ? ` (HPA target ${hpa.targetCpuUtilization}%)` : ''}`,
          unit: 'cores',
          rules,
          points: series.flatMap((s) =>
            s.points.map((p) => ({ time: p.time, value: p.value, series: s.labels.pod ?? 'pod' })),
          ),
        });
      } else if (metric === 'replicas') {
        const series = await range(
          `kube_deployment_status_replicas_available{namespace="${namespace}",deployment="${service}"}`,
        );
        if (!series || series.length === 0) {
          missing.push('replicas');
          continue;
        }
        panels.push({
          metric,
          title: `Available replicas${hpa ? ` (HPA ${hpa.minReplicas}–${hpa.maxReplicas})` : ''}`,
          unit: 'replicas',
          rules: hpa ? [{ value: hpa.maxReplicas, label: `HPA max ${hpa.maxReplicas}` }] : [],
          points: series.flatMap((s) => s.points.map((p) => ({ ...p, series: 'available replicas' }))),
        });
      } else if (metric === 'requests') {
        panels.push({
          metric,
          title: 'Requests per second',
          unit: 'req/s',
          rules: [],
          points: g.series.requestsPerSecond.map((p) => ({ ...p, series: 'requests/s' })),
        });
      } else {
        panels.push({
          metric,
          title: 'Latency p95',
          unit: 'ms',
          rules: [],
          points: g.series.latencyP95Ms.map((p) => ({ ...p, series: 'p95 latency' })),
        });
      }
    }
    const drawn = panels.filter((p) => p.points.length > 0);
    if (drawn.length === 0)
      return {
        ok: false,
        message: `no data for ${namespace}/${service} (${req.metrics.join(', ')}) in that window`,
      };
    const title = `${namespace}/${service} · last ${req.windowMinutes >= 60 ? `${req.windowMinutes / 60} h` : `${req.windowMinutes} min`} · until ${g.window.end.slice(0, 16).replace('T', ' ')} UTC`;
    const chart = await renderChart({ title, panels: drawn, events: chartEvents });
    const caption = `${title}: ${drawn.map((p) => p.title).join(', ')}${chartEvents.length ? `; ${chartEvents.length} events marked` : ''}${missing.length ? `; no data for ${missing.join(', ')}` : ''}`;
    return {
      ok: true,
      text: caption,
      svg: chart.svg,
      width: chart.width,
      height: chart.height,
      image: {
        png: chart.png,
        title,
        filename: `${namespace}-${service}-${req.windowMinutes}m.png`,
        caption,
      },
    };
  }

  async function grafanaPanel(req: GrafanaPanelRequest): Promise<GraphOutcome> {
    const g = deps.grafana;
    if (!g) return { ok: false, message: 'Grafana is not configured' };
    const url = new URL(
      `render/d-solo/${encodeURIComponent(req.dashboardUid)}/_`,
      g.url.endsWith('/') ? g.url : `${g.url}/`,
    );
    url.searchParams.set('panelId', String(req.panelId));
    url.searchParams.set('from', `now-${req.windowMinutes}m`);
    url.searchParams.set('to', 'now');
    url.searchParams.set('width', '1000');
    url.searchParams.set('height', '500');
    url.searchParams.set('tz', 'UTC');
    const res = await (deps.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${g.token}`, Accept: 'image/png' },
      signal: AbortSignal.timeout(30_000),
    });
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !type.startsWith('image/png')) {
      return { ok: false, message: `Grafana render failed: HTTP ${res.status} ${type || 'no content type'}` };
    }
    const png = new Uint8Array(await res.arrayBuffer());
    const width = png.length > 24 ? new DataView(png.buffer, png.byteOffset).getUint32(16) : 0;
    const height = png.length > 24 ? new DataView(png.buffer, png.byteOffset).getUint32(20) : 0;
    const title = `Grafana ${req.dashboardUid} panel ${req.panelId} · last ${req.windowMinutes} min`;
    return {
      ok: true,
      text: title,
      width,
      height,
      image: { png, title, filename: `grafana-${req.dashboardUid}-${req.panelId}.png`, caption: title },
    };
  }

  return {
    grafana: Boolean(deps.grafana),
    async render(user: HostUser, args: string[], conversation: string | null = null): Promise<GraphOutcome> {
      const parsed = parseGraphArgs(args, { grafana: Boolean(deps.grafana) });
      if (parsed.kind === 'error') return { ok: false, message: parsed.message };
      if (parsed.kind === 'grafana') return grafanaPanel(parsed.req);
      return metricsChart(user, parsed.req, conversation);
    },
  };
}

export type GraphService = ReturnType<typeof createGraphService>;
