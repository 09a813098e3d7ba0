import {
  type InstantSample,
  InvalidArgumentError,
  type Labels,
  NotAvailableError,
  type RangeSeries,
} from '@devops-ai/core';
import { NODE_GROUPS } from './model.js';
import type { GroupSampleDbRow, PodSampleDbRow, ServiceSampleRow, Store } from './store.js';

/**
 * The PromQL subset the sandbox answers (documented in README.md):
 *
 *   <metric>{<label>="<value>", <label>!="<value>", ...}
 *   <agg> [by (<label>, ...)] (<selector>)      or      <agg>(<selector>) [by (<label>, ...)]
 *
 * where <agg> is sum, avg, max, min or count, over the sandbox's own per-minute series. Samples
 * are looked up Prometheus-style: the latest sample at or before the evaluation time, within a
 * 5-minute lookback. Anything else (functions, range vectors, operators, regex matchers) throws
 * NotAvailableError; broken syntax throws InvalidArgumentError.
 */

type Source = 'service' | 'pod' | 'group';
type Row = ServiceSampleRow | PodSampleDbRow | GroupSampleDbRow;

interface MetricDef {
  source: Source;
  help: string;
  labels: (r: Row) => Labels;
  value: (r: Row) => number | null;
}

const svcLabels = (r: Row): Labels => ({
  namespace: (r as ServiceSampleRow).namespace,
  service: (r as ServiceSampleRow).service,
});
const depLabels = (r: Row): Labels => ({
  namespace: (r as ServiceSampleRow).namespace,
  deployment: (r as ServiceSampleRow).service,
});
const hpaLabels = (r: Row): Labels => ({
  namespace: (r as ServiceSampleRow).namespace,
  horizontalpodautoscaler: (r as ServiceSampleRow).service,
});
const podLabels = (r: Row): Labels => {
  const p = r as PodSampleDbRow;
  const l: Labels = { namespace: p.namespace, pod: p.pod, service: p.service };
  if (p.node) l.node = p.node;
  return l;
};
const groupLabels = (r: Row): Labels => {
  const name = (r as GroupSampleDbRow).node_group;
  const g = NODE_GROUPS.find((x) => x.name === name);
  return { node_group: name, instance_type: g?.instanceType ?? '', capacity_type: g?.capacityType ?? '' };
};
const price = (r: GroupSampleDbRow) => NODE_GROUPS.find((x) => x.name === r.node_group)?.hourlyPrice ?? 0;
const G = (f: (r: GroupSampleDbRow) => number | null) => (r: Row) => f(r as GroupSampleDbRow);
const S = (f: (r: ServiceSampleRow) => number | null) => (r: Row) => f(r as ServiceSampleRow);
const P = (f: (r: PodSampleDbRow) => number | null) => (r: Row) => f(r as PodSampleDbRow);

export const METRICS: Record<string, MetricDef> = {
  'service:requests_per_second': {
    source: 'service',
    help: 'requests per second offered to the service',
    labels: svcLabels,
    value: S((r) => r.rps),
  },
  'service:error_ratio': {
    source: 'service',
    help: 'fraction of requests answered with 5xx (0..1)',
    labels: svcLabels,
    value: S((r) => r.error_ratio),
  },
  'service:latency_p50_seconds': {
    source: 'service',
    help: 'median latency',
    labels: svcLabels,
    value: S((r) => r.p50 / 1000),
  },
  'service:latency_p95_seconds': {
    source: 'service',
    help: '95th percentile latency',
    labels: svcLabels,
    value: S((r) => r.p95 / 1000),
  },
  'service:latency_p99_seconds': {
    source: 'service',
    help: '99th percentile latency',
    labels: svcLabels,
    value: S((r) => r.p99 / 1000),
  },
  'service:cpu_usage_cores': {
    source: 'service',
    help: 'CPU used by all pods of the service',
    labels: svcLabels,
    value: S((r) => r.cpu),
  },
  'service:cpu_utilization_ratio': {
    source: 'service',
    help: 'CPU used / CPU requested by scheduled pods',
    labels: svcLabels,
    value: S((r) => (r.cpu_requests > 0 ? r.cpu / r.cpu_requests : null)),
  },
  'service:memory_working_set_bytes': {
    source: 'service',
    help: 'memory working set of all pods',
    labels: svcLabels,
    value: S((r) => r.mem * 1048576),
  },
  kube_deployment_spec_replicas: {
    source: 'service',
    help: 'desired replicas',
    labels: depLabels,
    value: S((r) => r.spec_replicas),
  },
  kube_deployment_status_replicas_ready: {
    source: 'service',
    help: 'ready replicas',
    labels: depLabels,
    value: S((r) => r.ready_replicas),
  },
  kube_deployment_status_replicas_available: {
    source: 'service',
    help: 'available replicas',
    labels: depLabels,
    value: S((r) => r.available_replicas),
  },
  kube_horizontalpodautoscaler_spec_min_replicas: {
    source: 'service',
    help: 'HPA minReplicas',
    labels: hpaLabels,
    value: S((r) => r.hpa_min),
  },
  kube_horizontalpodautoscaler_spec_max_replicas: {
    source: 'service',
    help: 'HPA maxReplicas',
    labels: hpaLabels,
    value: S((r) => r.hpa_max),
  },
  kube_horizontalpodautoscaler_status_current_replicas: {
    source: 'service',
    help: 'HPA current replicas',
    labels: hpaLabels,
    value: S((r) => r.hpa_current),
  },
  kube_horizontalpodautoscaler_status_desired_replicas: {
    source: 'service',
    help: 'HPA desired replicas',
    labels: hpaLabels,
    value: S((r) => r.hpa_desired),
  },
  'cluster:nodes': {
    source: 'group',
    help: 'nodes in the node group (booting ones included)',
    labels: groupLabels,
    value: G((r) => r.nodes),
  },
  'cluster:nodes_ready': {
    source: 'group',
    help: 'Ready nodes in the node group',
    labels: groupLabels,
    value: G((r) => r.ready_nodes),
  },
  'cluster:hourly_cost_dollars': {
    source: 'group',
    help: 'USD per hour of the node group at its current size',
    labels: groupLabels,
    value: G((r) => Math.round(r.nodes * price(r) * 1e6) / 1e6),
  },
  'cluster:cpu_requests_ratio': {
    source: 'group',
    help: 'CPU requested by pods / allocatable on Ready nodes',
    labels: groupLabels,
    value: G((r) => (r.cpu_allocatable > 0 ? r.cpu_requested / r.cpu_allocatable : null)),
  },
  'cluster:memory_requests_ratio': {
    source: 'group',
    help: 'memory requested by pods / allocatable on Ready nodes',
    labels: groupLabels,
    value: G((r) => (r.mem_allocatable > 0 ? r.mem_requested / r.mem_allocatable : null)),
  },
  'pod:cpu_usage_cores': {
    source: 'pod',
    help: 'CPU used by the pod',
    labels: podLabels,
    value: P((r) => r.cpu),
  },
  'pod:memory_working_set_bytes': {
    source: 'pod',
    help: 'memory working set of the pod',
    labels: podLabels,
    value: P((r) => r.mem * 1048576),
  },
  'pod:requests_per_second': {
    source: 'pod',
    help: 'requests per second served by the pod',
    labels: podLabels,
    value: P((r) => r.rps),
  },
  kube_pod_status_ready: {
    source: 'pod',
    help: '1 if the pod is Ready',
    labels: podLabels,
    value: P((r) => r.ready),
  },
  kube_pod_container_status_restarts_total: {
    source: 'pod',
    help: 'container restarts',
    labels: (r) => {
      const p = r as PodSampleDbRow;
      return { namespace: p.namespace, pod: p.pod, container: p.service, service: p.service };
    },
    value: P((r) => r.restarts),
  },
};

const AGGREGATIONS = ['sum', 'avg', 'max', 'min', 'count'] as const;
type Agg = (typeof AGGREGATIONS)[number];

export const SUPPORTED_FORMS =
  'the sandbox answers a PromQL subset: a metric selector `name{label="v",label!="v"}` optionally wrapped in ' +
  'sum/avg/max/min/count with an optional `by (label, ...)`, over the series ' +
  `${Object.keys(METRICS).join(', ')}. Functions (rate, histogram_quantile, ...), range vectors, operators and regex matchers are not available on the sandbox.`;

export interface ParsedQuery {
  metric: string;
  matchers: Array<{ label: string; op: '=' | '!='; value: string }>;
  agg: Agg | null;
  by: string[] | null;
}

type Tok = { t: 'ident' | 'string' | 'punct' | 'other'; v: string };

function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_:]/.test(c)) {
      let j = i + 1;
      while (j < q.length && /[A-Za-z0-9_:]/.test(q[j] ?? '')) j++;
      out.push({ t: 'ident', v: q.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let v = '';
      while (j < q.length && q[j] !== c) {
        if (q[j] === '\\' && c !== '`') {
          const n = q[j + 1];
          if (n === undefined) break;
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
          continue;
        }
        v += q[j];
        j++;
      }
      if (j >= q.length) throw new InvalidArgumentError(`unterminated string in query at position ${i}`);
      out.push({ t: 'string', v });
      i = j + 1;
      continue;
    }
    const two = q.slice(i, i + 2);
    if (two === '!=' || two === '=~' || two === '!~' || two === '==' || two === '>=' || two === '<=') {
      out.push({ t: two === '!=' ? 'punct' : 'other', v: two });
      i += 2;
      continue;
    }
    if ('{}(),='.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    out.push({ t: 'other', v: c });
    i++;
  }
  return out;
}

function checkBalanced(q: string, toks: Tok[]): void {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (const tok of toks) {
    if (tok.t === 'string') continue;
    if (tok.v === '(' || tok.v === '{' || tok.v === '[') stack.push(tok.v);
    else if (tok.v in pairs) {
      if (stack.pop() !== pairs[tok.v])
        throw new InvalidArgumentError(`unbalanced "${tok.v}" in query: ${q}`);
    }
  }
  if (stack.length > 0)
    throw new InvalidArgumentError(`unclosed "${stack[stack.length - 1]}" in query: ${q}`);
}

export function parseQuery(query: string): ParsedQuery {
  if (typeof query !== 'string' || query.trim() === '') throw new InvalidArgumentError('empty query');
  if (query.length > 2000) throw new InvalidArgumentError('query longer than 2000 characters');
  const toks = tokenize(query);
  checkBalanced(query, toks);
  let pos = 0;
  const peek = () => toks[pos];
  const unsupported = (what: string): never => {
    throw new NotAvailableError(`${what} is not available on the sandbox; ${SUPPORTED_FORMS}`);
  };
  const expect = (v: string) => {
    const tok = toks[pos];
    if (!tok || tok.v !== v || tok.t === 'string') unsupported(`"${query}"`);
    pos++;
  };
  const labelList = (): string[] => {
    expect('(');
    const labels: string[] = [];
    while (peek()?.v !== ')') {
      const tok = toks[pos++];
      if (tok?.t !== 'ident') return unsupported(`"${query}"`);
      labels.push(tok.v);
      if (peek()?.v === ',') pos++;
    }
    expect(')');
    return labels;
  };
  let agg: Agg | null = null;
  let by: string[] | null = null;
  const first = peek();
  const afterFirst = toks[pos + 1]?.v;
  if (
    first?.t === 'ident' &&
    (AGGREGATIONS as readonly string[]).includes(first.v) &&
    (afterFirst === '(' || afterFirst === 'by' || afterFirst === 'without')
  ) {
    agg = first.v as Agg;
    pos++;
    if (peek()?.v === 'without') unsupported('`without`');
    if (peek()?.v === 'by') {
      pos++;
      by = labelList();
    }
    expect('(');
  }
  // Selector.
  let metric = '';
  const matchers: ParsedQuery['matchers'] = [];
  const head = peek();
  if (head?.t === 'ident') {
    metric = head.v;
    pos++;
    if (peek()?.v === '(') unsupported(`the function ${metric}()`);
  } else if (head?.v !== '{') {
    unsupported(`"${query}"`);
  }
  if (peek()?.v === '{') {
    pos++;
    while (peek()?.v !== '}') {
      const label = toks[pos++];
      const op = toks[pos++];
      const value = toks[pos++];
      if (label?.t !== 'ident') return unsupported(`"${query}"`);
      if (!op || (op.v !== '=' && op.v !== '!=')) return unsupported(`the matcher operator "${op?.v ?? ''}"`);
      if (value?.t !== 'string')
        throw new InvalidArgumentError(`label matcher ${label.v} needs a quoted value`);
      if (label.v === '__name__') {
        if (op.v !== '=') unsupported('a negative __name__ matcher');
        if (metric && metric !== value.v)
          throw new InvalidArgumentError(`the selector names two metrics: ${metric} and ${value.v}`);
        metric = value.v;
      } else matchers.push({ label: label.v, op: op.v, value: value.v });
      if (peek()?.v === ',') pos++;
      else if (peek()?.v !== '}') unsupported(`"${query}"`);
    }
    pos++;
  }
  if (peek()?.v === '[') unsupported('a range vector selector');
  if (agg) {
    expect(')');
    if (peek()?.v === 'by') {
      if (by) unsupported('two `by` clauses');
      pos++;
      by = labelList();
    } else if (peek()?.v === 'without') unsupported('`without`');
  }
  if (pos < toks.length) unsupported(`"${toks[pos]?.v}" (operators and anything after the selector)`);
  if (!metric) throw new InvalidArgumentError('the selector names no metric');
  if (!METRICS[metric])
    throw new NotAvailableError(`the sandbox has no series named ${metric}; ${SUPPORTED_FORMS}`);
  return { metric, matchers, agg, by };
}

const LOOKBACK_MS = 5 * 60_000;
const MAX_POINTS = 11_000;

interface Series {
  labels: Labels;
  /** ascending by time */
  points: Array<{ t: number; v: number }>;
}

function loadSeries(store: Store, q: ParsedQuery, fromMs: number, toMs: number): Series[] {
  const def = METRICS[q.metric];
  if (!def) return [];
  const fromMin = Math.floor((fromMs - LOOKBACK_MS) / 60_000);
  const toMin = Math.floor(toMs / 60_000);
  const eq = (label: string) => q.matchers.find((m) => m.label === label && m.op === '=')?.value;
  const nsEq = eq('namespace');
  // Equality on the row's own key goes to SQL too (the matchers below still apply): one service's
  // rows instead of the whole namespace's.
  const svcEq =
    def.labels === svcLabels ? eq('service') : def.labels === depLabels ? eq('deployment') : undefined;
  const rows: Row[] =
    def.source === 'service'
      ? store.serviceSamples(fromMin, toMin, nsEq, svcEq)
      : def.source === 'pod'
        ? store.podSamples(fromMin, toMin, nsEq, eq('pod'))
        : store.groupSamples(fromMin, toMin);
  const map = new Map<string, Series>();
  for (const r of rows) {
    const v = def.value(r);
    if (v === null || !Number.isFinite(v)) continue;
    const labels = def.labels(r);
    const ok = q.matchers.every((m) => ((labels[m.label] ?? '') === m.value) === (m.op === '='));
    if (!ok) continue;
    const key = JSON.stringify(labels);
    let s = map.get(key);
    if (!s) {
      s = { labels, points: [] };
      map.set(key, s);
    }
    s.points.push({ t: (r as { minute: number }).minute * 60_000, v });
  }
  return [...map.values()];
}

function valueAt(s: Series, t: number): number | undefined {
  let lo = 0;
  let hi = s.points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((s.points[mid]?.t ?? 0) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const p = s.points[found];
  if (!p || t - p.t > LOOKBACK_MS) return undefined;
  return p.v;
}

function aggregate(
  q: ParsedQuery,
  name: string,
  vals: Array<{ labels: Labels; v: number }>,
): Array<{ labels: Labels; v: number }> {
  if (!q.agg) return vals.map((x) => ({ labels: { __name__: name, ...x.labels }, v: x.v }));
  const groups = new Map<string, { labels: Labels; vs: number[] }>();
  for (const x of vals) {
    const labels: Labels = {};
    for (const l of q.by ?? []) if (x.labels[l] !== undefined) labels[l] = x.labels[l] ?? '';
    const key = JSON.stringify(labels);
    let g = groups.get(key);
    if (!g) {
      g = { labels, vs: [] };
      groups.set(key, g);
    }
    g.vs.push(x.v);
  }
  return [...groups.values()].map((g) => {
    const sum = g.vs.reduce((a, b) => a + b, 0);
    const v =
      q.agg === 'sum'
        ? sum
        : q.agg === 'avg'
          ? sum / g.vs.length
          : q.agg === 'max'
            ? Math.max(...g.vs)
            : q.agg === 'min'
              ? Math.min(...g.vs)
              : g.vs.length;
    return { labels: g.labels, v };
  });
}

export function instantQuery(store: Store, query: string, timeMs: number): InstantSample[] {
  const q = parseQuery(query);
  const series = loadSeries(store, q, timeMs, timeMs);
  const vals: Array<{ labels: Labels; v: number }> = [];
  for (const s of series) {
    const v = valueAt(s, timeMs);
    if (v !== undefined) vals.push({ labels: s.labels, v });
  }
  const time = new Date(timeMs).toISOString();
  return aggregate(q, q.metric, vals)
    .map((x) => ({ labels: x.labels, time, value: x.v }))
    .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

export function rangeQuery(
  store: Store,
  query: string,
  startMs: number,
  endMs: number,
  stepSeconds: number,
): RangeSeries[] {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs))
    throw new InvalidArgumentError('start and end must be ISO-8601 times');
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds))
    throw new InvalidArgumentError('step must be a positive number of seconds');
  if (endMs < startMs) throw new InvalidArgumentError('end is before start');
  const n = Math.floor((endMs - startMs) / (stepSeconds * 1000)) + 1;
  if (n > MAX_POINTS)
    throw new InvalidArgumentError(
      `exceeded maximum resolution of ${MAX_POINTS} points per timeseries; use a larger step`,
    );
  const q = parseQuery(query);
  const series = loadSeries(store, q, startMs, endMs);
  const out = new Map<string, RangeSeries>();
  for (let i = 0; i < n; i++) {
    const t = startMs + i * stepSeconds * 1000;
    const vals: Array<{ labels: Labels; v: number }> = [];
    for (const s of series) {
      const v = valueAt(s, t);
      if (v !== undefined) vals.push({ labels: s.labels, v });
    }
    const time = new Date(t).toISOString();
    for (const x of aggregate(q, q.metric, vals)) {
      const key = JSON.stringify(x.labels);
      let rs = out.get(key);
      if (!rs) {
        rs = { labels: x.labels, points: [] };
        out.set(key, rs);
      }
      rs.points.push({ time, value: x.v });
    }
  }
  return [...out.values()].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}
