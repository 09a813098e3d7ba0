import type {
  AlertInfo,
  DeploymentInfo,
  EventInfo,
  GoldenSignals,
  HpaInfo,
  NodeInfo,
  PodInfo,
} from '@devops-ai/core';
import { canonicalJson, parseQuantity as parseK8sQuantity } from '@devops-ai/core';
import type { Intent } from './intents.js';

/** A tool result of the current turn, as the offline model reads it back from ToolMessages. */
export interface TurnResult {
  tool: string;
  args: Record<string, unknown>;
  ok: boolean;
  text: string;
  data: unknown;
}

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
  /** A change (it will wait for an approval); everything else is a read. */
  mutates?: boolean;
}

export class TurnContext {
  constructor(
    readonly results: TurnResult[],
    readonly available: Set<string>,
  ) {}

  find(tool: string, args?: Record<string, unknown>): TurnResult | undefined {
    const key = args ? canonicalJson(args) : null;
    return this.results.find((r) => r.tool === tool && (key === null || canonicalJson(r.args) === key));
  }

  has(tool: string, args?: Record<string, unknown>): boolean {
    return this.find(tool, args) !== undefined;
  }

  deployments(namespace: string): DeploymentInfo[] | undefined {
    const r = this.find('k8s_list_deployments', { namespace });
    if (!r) return undefined;
    return r.ok ? ((r.data as { deployments?: DeploymentInfo[] })?.deployments ?? []) : [];
  }

  /** Resolves a service name the user typed ("checkout") to a deployment ("checkout-api"). */
  resolve(namespace: string, typed: string): { name: string | null; candidates: string[] } {
    const names = (this.deployments(namespace) ?? []).map((d) => d.name);
    if (names.includes(typed)) return { name: typed, candidates: [typed] };
    const prefix = names.filter((n) => n.startsWith(`${typed}-`) || n.startsWith(typed));
    if (prefix.length === 1) return { name: prefix[0] ?? null, candidates: prefix };
    const contains = names.filter((n) => n.includes(typed));
    if (contains.length === 1) return { name: contains[0] ?? null, candidates: contains };
    return { name: null, candidates: prefix.length > 0 ? prefix : contains.length > 0 ? contains : names };
  }
}

export interface IntentStep {
  calls: PlannedCall[];
  /** true when nothing more is needed for this intent. */
  done: boolean;
}

const done: IntentStep = { calls: [], done: true };

function need(ctx: TurnContext, calls: PlannedCall[]): IntentStep {
  const missing = calls.filter((c) => !ctx.has(c.name, c.args));
  return { calls: missing, done: missing.length === 0 };
}

/** Resolution first: list the namespace's deployments once, then map the typed name. */
function withService(
  ctx: TurnContext,
  namespace: string,
  typed: string,
  then: (service: string) => IntentStep,
): IntentStep {
  if (ctx.deployments(namespace) === undefined) {
    return { calls: [{ name: 'k8s_list_deployments', args: { namespace } }], done: false };
  }
  const { name } = ctx.resolve(namespace, typed);
  if (!name) return done; // answered as "not found"
  return then(name);
}

export function podsOf(ctx: TurnContext, namespace: string, service: string): PodInfo[] {
  const r = ctx.find('k8s_list_pods', { namespace, deployment: service });
  return ((r?.data as { pods?: PodInfo[] })?.pods ?? []).filter(
    (p) => p.deployment === service || !p.deployment,
  );
}

/** The events read of the 'why' answer: the deployment's own (rollouts, scaling). */
export function deploymentEventsArgs(namespace: string, name: string) {
  return { namespace, object: name, limit: 30 };
}

export function replicaSetEventsCall(namespace: string, replicaSet: string): PlannedCall {
  return { name: 'k8s_list_events', args: { namespace, object: replicaSet, limit: 10 } };
}

/**
 * When fewer pods exist than the deployment's spec asks for: how many of each, and the ReplicaSet that
 * should be creating them (from the deployment's latest "Scaled up replica set X" event, else from the
 * newest pod's name); null when none are missing.
 */
export function missingPods(
  ctx: TurnContext,
  namespace: string,
  name: string,
): { wanted: number; have: number; replicaSet: string | null } | null {
  const wanted = ctx.deployments(namespace)?.find((d) => d.name === name)?.replicas;
  const have = podsOf(ctx, namespace, name).length;
  if (wanted === undefined || have >= wanted) return null;
  const events =
    (ctx.find('k8s_list_events', deploymentEventsArgs(namespace, name))?.data as { events?: EventInfo[] })
      ?.events ?? [];
  let replicaSet: string | null = null;
  for (const e of events) {
    const m = /^Scaled up replica set (\S+) to \d+/.exec(e.message);
    if (e.reason === 'ScalingReplicaSet' && m?.[1]) replicaSet = m[1];
  }
  if (replicaSet === null) {
    const newest = [...podsOf(ctx, namespace, name)].sort((a, b) =>
      b.createdAt.localeCompare(a.createdAt),
    )[0];
    const m = newest ? /^(.+)-[a-z0-9]+$/.exec(newest.name) : null;
    replicaSet = m?.[1] ?? null;
  }
  return { wanted, have, replicaSet };
}

export function suspiciousPod(pods: PodInfo[]): PodInfo | undefined {
  const score = (p: PodInfo) =>
    (/CrashLoopBackOff|OOMKilled|Error/.test(p.status) ? 1000 : 0) + (p.ready ? 0 : 100) + p.restarts;
  return [...pods].sort((a, b) => score(b) - score(a) || a.name.localeCompare(b.name))[0];
}

function isCrashing(p: PodInfo): boolean {
  return (
    /CrashLoopBackOff|OOMKilled|Error/.test(p.status) ||
    p.containers.some((c) => c.lastTerminationReason === 'OOMKilled')
  );
}

/** The per-service series (recording rules) the forecasting tools read through the metrics backend. */
export const SERVICE_SERIES = {
  requests: { rule: 'service:requests_per_second', label: 'requests/s', digits: 1 },
  latency: { rule: 'service:latency_p95_seconds', label: 'p95 latency (s)', digits: 3 },
  errors: { rule: 'service:error_ratio', label: 'error ratio', digits: 4 },
  cpu: { rule: 'service:cpu_utilization_ratio', label: 'CPU / request', digits: 2 },
} as const;

/**
 * Forecast window: up to the last week at 5-minute steps (two days make the daily cycle usable), 2 h
 * ahead unless asked ("for the next 12 hours", "tomorrow"), at most 48 h.
 */
export const FORECAST = { lookbackMinutes: 7 * 1440, stepSeconds: 300, horizon: 24, maxHours: 48 } as const;

/**
 * Capacity plans and HPA advice read the service's CPU use in cores: the HPA's own metric, against
 * one pod's CPU request (what the HPA calls 100%). Up to the last week at 5-minute steps.
 */
export const CPU_USAGE = {
  rule: 'service:cpu_usage_cores',
  lookbackMinutes: 7 * 1440,
  stepSeconds: 300,
} as const;
/** What /predict can forecast: traffic by default; CPU in cores (not per request: replicas change it). */
export const FORECAST_SERIES = {
  requests: { rule: SERVICE_SERIES.requests.rule, title: 'Traffic', unit: 'req/s', digits: 1 },
  cpu: { rule: CPU_USAGE.rule, title: 'CPU', unit: 'cores', digits: 2 },
  latency: { rule: SERVICE_SERIES.latency.rule, title: 'p95 latency', unit: 's', digits: 3 },
  errors: { rule: SERVICE_SERIES.errors.rule, title: 'Error ratio', unit: '', digits: 4 },
} as const;
export type ForecastSeries = keyof typeof FORECAST_SERIES;

/** Forecast steps for a horizon in hours (2 h when none was asked for). */
export function forecastHorizon(hours: number | null): number {
  const h = Math.min(FORECAST.maxHours, hours ?? (FORECAST.horizon * FORECAST.stepSeconds) / 3600);
  return Math.max(1, Math.round((h * 3600) / FORECAST.stepSeconds));
}
/** Anomaly window: the last 12 hours at 1-minute steps. */
export const ANOMALY = {
  lookbackMinutes: 720,
  stepSeconds: 60,
  threshold: 0.55,
  maxResults: 5,
  /**
   * History read before the reported window and scored but not reported: a fresh detector's novelty
   * records start empty and, before a day has passed, it has no earlier day to compare with, so every
   * new high of a daily cycle looks novel (forecasting's warmupMinutes).
   */
  warmupMinutes: 2 * 1440,
} as const;

export function seriesQuery(rule: string, namespace: string, service: string): string {
  return `${rule}{namespace="${namespace}",service="${service}"}`;
}

/** The forecast of one series, and for traffic the burst check over the same horizon. */
export function forecastCalls(
  namespace: string,
  service: string,
  series: ForecastSeries = 'requests',
  hours: number | null = null,
): PlannedCall[] {
  const metric = {
    query: seriesQuery(FORECAST_SERIES[series].rule, namespace, service),
    lookbackMinutes: FORECAST.lookbackMinutes,
    stepSeconds: FORECAST.stepSeconds,
  };
  const horizon = forecastHorizon(hours);
  const calls: PlannedCall[] = [
    { name: 'forecasting_forecast_series', args: { metric, horizon, level: 0.9 } },
  ];
  if (series === 'requests')
    calls.push({ name: 'forecasting_predict_bursts', args: { metric, horizon, baselineMultiple: 1.3 } });
  return calls;
}

/**
 * The window an anomaly check reads: the last 12 hours at 1-minute steps unless asked ("over the last
 * 3 days"), up to a week; past a day at 5-minute steps, so a week is 2016 points, not 10,080.
 */
export function anomalyWindow(hours: number | null): { lookbackMinutes: number; stepSeconds: number } {
  const h = Math.min(7 * 24, Math.max(1, hours ?? ANOMALY.lookbackMinutes / 60));
  return { lookbackMinutes: Math.round(h * 60), stepSeconds: h > 24 ? 300 : ANOMALY.stepSeconds };
}

/**
 * A metric reference for an anomaly check: the reported window, and the warm-up the tool reads before
 * it (the forecasting server's warmupMinutes).
 */
function anomalyRead(query: string, hours: number | null) {
  const window = anomalyWindow(hours);
  return {
    metric: { query, ...window },
    reportLastMinutes: window.lookbackMinutes,
    warmupMinutes: ANOMALY.warmupMinutes,
  };
}

export function anomalyCalls(namespace: string, service: string, hours: number | null = null): PlannedCall[] {
  return Object.values(SERVICE_SERIES).map((s) => ({
    name: 'forecasting_detect_anomalies',
    args: {
      ...anomalyRead(seriesQuery(s.rule, namespace, service), hours),
      threshold: ANOMALY.threshold,
      maxResults: ANOMALY.maxResults,
    },
  }));
}

/** The forecasting server's scan of every series a query returns. */
export const SCAN_TOOL = 'forecasting_scan_anomalies';
/** Anomalies kept per service and signal in a namespace scan, and services listed at most. */
export const SCAN = { perSeries: 3, maxServices: 50 } as const;

/**
 * Every service of a namespace at once: one scan per signal, the detector over each service's series
 * of it (the same window and threshold as for one service).
 */
export function namespaceAnomalyCalls(namespace: string, hours: number | null = null): PlannedCall[] {
  return Object.values(SERVICE_SERIES).map((s) => ({
    name: SCAN_TOOL,
    args: {
      ...anomalyRead(`${s.rule}{namespace="${namespace}"}`, hours),
      threshold: ANOMALY.threshold,
      maxAnomaliesPerSeries: SCAN.perSeries,
      maxResults: SCAN.maxServices,
    },
  }));
}

/** Burst prediction for one service's traffic, the same call as /predict's (forecastCalls). */
export function burstCall(namespace: string, service: string, hours: number | null): PlannedCall {
  return forecastCalls(namespace, service, 'requests', hours).find(
    (c) => c.name === 'forecasting_predict_bursts',
  ) as PlannedCall;
}

/** Capacity plan: the next 24 h in 1-hour windows, sized on the forecast's 90% upper bound. */
export const CAPACITY = { horizon: 288, windowSteps: 12, peakStepSeconds: 60 } as const;
/** Target utilisation assumed for a deployment without an HPA (the usual 70% CPU). */
const DEFAULT_TARGET = 0.7;
/** Replicas kept through a node drain or a rollout: HPA advice never goes below it unless already there. */
const MIN_SPARE = 2;

/**
 * A Kubernetes CPU quantity in cores: "250m" → 0.25, "1" → 1, "1.5" → 1.5, "500000n" → 0.0005;
 * null for anything else.
 */
export function parseCpuQuantity(q: unknown): number | null {
  const m = /^(\d+(?:\.\d+)?)(m|u|n)?$/.exec(typeof q === 'number' ? String(q) : String(q ?? '').trim());
  if (!m?.[1]) return null;
  const v = Number(m[1]) / ({ m: 1e3, u: 1e6, n: 1e9 }[m[2] as 'm'] ?? 1);
  return Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * Any Kubernetes quantity as a number in base units ("250m" → 0.25, "64Gi" → 68719476736, "1e3" →
 * 1000), by the shared parser; null for anything else (a tool output is data, not trusted shape).
 */
export function parseQuantity(q: unknown): number | null {
  if (typeof q !== 'string' && typeof q !== 'number') return null;
  try {
    const v = parseK8sQuantity(String(q));
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

interface ContainerSpec {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

function containersOf(ctx: TurnContext, namespace: string, name: string): ContainerSpec[] {
  const r = ctx.find('k8s_describe_resource', describeDeploymentArgs(namespace, name));
  if (!r?.ok) return [];
  const spec = (r.data as { object?: { spec?: { template?: { spec?: { containers?: ContainerSpec[] } } } } })
    ?.object?.spec?.template?.spec;
  return spec?.containers ?? [];
}

/** Arguments of the k8s_describe_resource read of a deployment. */
export function describeDeploymentArgs(namespace: string, name: string) {
  return { kind: 'deployment', namespace, name };
}

/** CPU requested by one pod of the deployment (the sum over its containers), in cores; null if any container has none. */
export function cpuRequestCores(ctx: TurnContext, namespace: string, name: string): number | null {
  const containers = containersOf(ctx, namespace, name);
  if (containers.length === 0) return null;
  let total = 0;
  for (const c of containers) {
    const v = parseCpuQuantity(c.resources?.requests?.cpu);
    if (v === null) return null;
    total += v;
  }
  return total;
}

/** The k8s read of a namespace's ResourceQuotas (absent from k8s servers older than the tool). */
export const QUOTAS_TOOL = 'k8s_list_resource_quotas';

export interface QuotaData {
  name: string;
  hard: Record<string, number>;
  used: Record<string, number>;
}

/** The namespace's quotas as the read returned them (numbers only: the output is data, not trusted shape). */
export function quotasOf(ctx: TurnContext, namespace: string): QuotaData[] {
  const r = ctx.find(QUOTAS_TOOL, { namespace });
  if (!r?.ok) return [];
  const raw = (r.data as { quotas?: unknown })?.quotas;
  if (!Array.isArray(raw)) return [];
  const numbers = (o: unknown): Record<string, number> =>
    Object.fromEntries(
      Object.entries(o && typeof o === 'object' ? o : {}).filter(
        (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]),
      ),
    );
  return raw
    .filter((q): q is { name: string; hard?: unknown; used?: unknown } => typeof q?.name === 'string')
    .map((q) => ({ name: q.name, hard: numbers(q.hard), used: numbers(q.used) }));
}

/**
 * What one pod of the deployment counts against each quota resource: 1 for `pods`, the sum over its
 * containers for requests/limits of CPU (cores) and memory (bytes); a resource some container leaves
 * unset is unknown and left out (Kubernetes rejects such a pod under that quota, or a LimitRange
 * fills it in, which this read does not see).
 */
export function podQuotaUsage(ctx: TurnContext, namespace: string, name: string): Record<string, number> {
  const containers = containersOf(ctx, namespace, name);
  const usage: Record<string, number> = { pods: 1, 'count/pods': 1 };
  if (containers.length === 0) return usage;
  const sum = (kind: 'requests' | 'limits', res: 'cpu' | 'memory'): number | null => {
    let total = 0;
    for (const c of containers) {
      const v = parseQuantity(c.resources?.[kind]?.[res]);
      if (v === null || v <= 0) return null;
      total += v;
    }
    return total;
  };
  for (const res of ['cpu', 'memory'] as const) {
    const req = sum('requests', res);
    const lim = sum('limits', res);
    if (req !== null) usage[`requests.${res}`] = usage[res] = req;
    if (lim !== null) usage[`limits.${res}`] = lim;
  }
  return usage;
}

/** The tightest namespace quota on a deployment: how many replicas of it fit, and which quota resource says so. */
export interface QuotaLimit {
  quota: string;
  resource: string;
  hard: number;
  used: number;
  perPod: number;
  /** Replicas of this deployment that fit: those it runs now plus the room left, whole pods. */
  replicas: number;
}

export function quotaLimit(ctx: TurnContext, namespace: string, name: string): QuotaLimit | null {
  const current = ctx.deployments(namespace)?.find((d) => d.name === name)?.replicas;
  if (current === undefined) return null;
  const perPod = podQuotaUsage(ctx, namespace, name);
  let best: QuotaLimit | null = null;
  for (const q of quotasOf(ctx, namespace)) {
    for (const [resource, hard] of Object.entries(q.hard)) {
      const one = perPod[resource];
      if (one === undefined) continue;
      const used = q.used[resource] ?? 0;
      const replicas = current + Math.floor((hard - used) / one + 1e-9);
      if (best === null || replicas < best.replicas)
        best = { quota: q.name, resource, hard, used, perPod: one, replicas };
    }
  }
  return best;
}

function cpuMetric(namespace: string, name: string) {
  return {
    query: seriesQuery(CPU_USAGE.rule, namespace, name),
    lookbackMinutes: CPU_USAGE.lookbackMinutes,
    stepSeconds: CPU_USAGE.stepSeconds,
  };
}

/** What the capacity plan and the HPA advice read first. */
export function sizingReads(
  ctx: TurnContext,
  namespace: string,
  name: string,
  capacity: boolean,
): PlannedCall[] {
  return [
    { name: 'k8s_list_hpas', args: { namespace } },
    { name: 'k8s_describe_resource', args: describeDeploymentArgs(namespace, name) },
    // Nodes and quotas only bound a capacity plan; HPA advice does not read them.
    ...(capacity ? capacityReads(ctx, namespace) : []),
  ];
}

function capacityReads(ctx: TurnContext, namespace: string): PlannedCall[] {
  return [
    { name: 'k8s_list_nodes', args: {} },
    ...(ctx.available.has(QUOTAS_TOOL) ? [{ name: QUOTAS_TOOL, args: { namespace } }] : []),
    ...(ctx.available.has(NODE_GROUPS_TOOL) ? [{ name: NODE_GROUPS_TOOL, args: {} }] : []),
  ];
}

/** The k8s read of the node groups: free requests on today's nodes and the autoscaler's bounds. */
export const NODE_GROUPS_TOOL = 'k8s_list_node_groups';

/** Room the cluster has for more pods, per resource (CPU in cores, memory in bytes). */
export interface ClusterRoom {
  /** Unrequested allocatable on today's ready nodes (summed over nodes). */
  free: { cpu: number; memory: number };
  /** Allocatable of the nodes the node groups may still add (up to their maximum). */
  growth: { cpu: number; memory: number };
  groups: Array<{ name: string; nodes: number; maxSize: number | null }>;
  /** Why the room is a lower bound or unknown, in words (empty when it is exact). */
  caveats: string[];
}

/** The node groups' room, or null without the read (or with nothing usable in it). */
export function clusterRoom(ctx: TurnContext): ClusterRoom | null {
  const r = ctx.find(NODE_GROUPS_TOOL, {});
  if (!r?.ok) return null;
  const raw = (r.data as { nodeGroups?: unknown })?.nodeGroups;
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const room: ClusterRoom = {
    free: { cpu: 0, memory: 0 },
    growth: { cpu: 0, memory: 0 },
    groups: [],
    caveats: [],
  };
  let unrequested = false;
  let unbounded = false;
  for (const g of raw as Array<Record<string, unknown>>) {
    if (typeof g?.name !== 'string') continue;
    const nodes = n(g.nodes) ?? 0;
    const maxSize = n(g.maxSize);
    room.groups.push({ name: g.name, nodes, maxSize });
    const cpuReq = n(g.cpuRequestedMillicores);
    const memReq = n(g.memoryRequestedMiB);
    if (cpuReq === null || memReq === null) unrequested = true;
    else {
      room.free.cpu += Math.max(0, (n(g.cpuAllocatableMillicores) ?? 0) - cpuReq) / 1000;
      room.free.memory += Math.max(0, (n(g.memoryAllocatableMiB) ?? 0) - memReq) * 2 ** 20;
    }
    const nodeCpu = n(g.nodeCpuAllocatableMillicores);
    const nodeMem = n(g.nodeMemoryAllocatableMiB);
    if (maxSize === null || nodeCpu === null || nodeMem === null) unbounded = true;
    else {
      // Nodes the autoscaler already asked for count as added.
      const add = Math.max(0, maxSize - Math.max(nodes, n(g.targetSize) ?? 0));
      room.growth.cpu += (add * nodeCpu) / 1000;
      room.growth.memory += add * nodeMem * 2 ** 20;
    }
  }
  if (room.groups.length === 0) return null;
  if (unrequested) room.caveats.push("some nodes' requests could not be read (their free room is left out)");
  if (unbounded)
    room.caveats.push(
      'some node groups report no autoscaler maximum or node size (their growth is left out)',
    );
  return room;
}

/** Pods of this CPU request that fit on the median node (by allocatable CPU); null without nodes. */
export function podsPerNode(ctx: TurnContext, requestCores: number): number | null {
  const r = ctx.find('k8s_list_nodes', {});
  const cores = ((r?.data as { nodes?: NodeInfo[] })?.nodes ?? [])
    .filter((n) => n.ready)
    .map((n) => n.cpuAllocatableMillicores / 1000)
    .sort((a, b) => a - b);
  const median = cores[cores.length >> 1];
  return median === undefined ? null : Math.max(1, Math.floor(median / requestCores + 1e-9));
}

/** The forecasting_plan_capacity call, once the reads are in; null when the CPU request is unknown. */
export function capacityCall(ctx: TurnContext, namespace: string, name: string): PlannedCall | null {
  const request = cpuRequestCores(ctx, namespace, name);
  if (request === null) return null;
  const hpa = hpaFor(ctx, namespace, name);
  const quota = quotaLimit(ctx, namespace, name);
  return {
    name: 'forecasting_plan_capacity',
    args: {
      metric: cpuMetric(namespace, name),
      horizon: CAPACITY.horizon,
      capacityPerPod: request,
      targetUtilization: hpa?.targetCpuUtilization ? hpa.targetCpuUtilization / 100 : DEFAULT_TARGET,
      minReplicas: hpa?.minReplicas ?? 1,
      podsPerNode: podsPerNode(ctx, request) ?? 1,
      windowSteps: CAPACITY.windowSteps,
      useUpperBound: true,
      // Minute-level bursts inside the 5-minute means: sized for from the same series at 1 minute.
      peakStepSeconds: CAPACITY.peakStepSeconds,
      limits: {
        ...(hpa ? { hpaMaxReplicas: hpa.maxReplicas } : {}),
        ...(quota ? { podQuota: Math.max(1, quota.replicas) } : {}),
      },
    },
  };
}

/**
 * The forecasting_advise_hpa call. Without an HPA the deployment's fixed replica count is the
 * "current" configuration (min = max), so the replay compares autoscaling with what runs now.
 */
export function hpaAdviceCall(ctx: TurnContext, namespace: string, name: string): PlannedCall | null {
  const request = cpuRequestCores(ctx, namespace, name);
  if (request === null) return null;
  const hpa = hpaFor(ctx, namespace, name);
  const fixed = Math.max(1, ctx.deployments(namespace)?.find((d) => d.name === name)?.replicas ?? 1);
  const current = hpa
    ? {
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        targetUtilization: (hpa.targetCpuUtilization ?? DEFAULT_TARGET * 100) / 100,
      }
    : { minReplicas: fixed, maxReplicas: fixed, targetUtilization: DEFAULT_TARGET };
  return {
    name: 'forecasting_advise_hpa',
    args: {
      metric: cpuMetric(namespace, name),
      capacityPerPod: request,
      current,
      // Never advise a single replica for a service that runs two or more today.
      minReplicasFloor: Math.min(MIN_SPARE, current.minReplicas),
    },
  };
}

/** Deployments a namespace-wide capacity plan covers (the first ones, by name). */
export const CAPACITY_MAX_SERVICES = 12;

export function capacityServices(ctx: TurnContext, namespace: string): string[] {
  return (ctx.deployments(namespace) ?? [])
    .map((d) => d.name)
    .sort()
    .slice(0, CAPACITY_MAX_SERVICES);
}

/** Every deployment of the namespace: the shared reads, each one's CPU request, then each plan or advice. */
function namespaceSizing(ctx: TurnContext, namespace: string, capacity: boolean): IntentStep {
  const first = need(ctx, [
    { name: 'k8s_list_deployments', args: { namespace } },
    { name: 'k8s_list_hpas', args: { namespace } },
    ...(capacity ? capacityReads(ctx, namespace) : []),
  ]);
  if (!first.done) return first;
  const names = capacityServices(ctx, namespace);
  const reads = need(
    ctx,
    names.map((n) => ({ name: 'k8s_describe_resource', args: describeDeploymentArgs(namespace, n) })),
  );
  if (!reads.done) return reads;
  const call = capacity ? capacityCall : hpaAdviceCall;
  return need(
    ctx,
    names.map((n) => call(ctx, namespace, n)).filter((c): c is PlannedCall => c !== null),
  );
}

export function step(intent: Intent, ctx: TurnContext): IntentStep {
  switch (intent.kind) {
    case 'help':
    case 'unknown':
    case 'refuse':
      return done;
    case 'scale':
      return withService(ctx, intent.namespace, intent.service, (name) =>
        need(ctx, [
          {
            name: 'k8s_scale_deployment',
            args: { namespace: intent.namespace, name, replicas: intent.replicas },
            mutates: true,
          },
        ]),
      );
    case 'restart':
      return withService(ctx, intent.namespace, intent.service, (name) =>
        need(ctx, [
          { name: 'k8s_restart_deployment', args: { namespace: intent.namespace, name }, mutates: true },
        ]),
      );
    case 'hpa':
      return withService(ctx, intent.namespace, intent.service, (name) => {
        const list = { namespace: intent.namespace };
        if (!ctx.has('k8s_list_hpas', list))
          return { calls: [{ name: 'k8s_list_hpas', args: list }], done: false };
        const hpa = hpaFor(ctx, intent.namespace, name);
        if (!hpa) return done;
        const args: Record<string, unknown> = { namespace: intent.namespace, name: hpa.name };
        if (intent.minReplicas !== null) args.minReplicas = intent.minReplicas;
        if (intent.maxReplicas !== null) args.maxReplicas = intent.maxReplicas;
        return need(ctx, [{ name: 'k8s_patch_hpa', args, mutates: true }]);
      });
    case 'predict':
      if (!ctx.available.has('forecasting_forecast_series')) return done;
      return withService(ctx, intent.namespace, intent.service, (name) =>
        need(ctx, forecastCalls(intent.namespace, name, intent.series, intent.hours)),
      );
    case 'capacity':
    case 'hpa_advice': {
      const capacity = intent.kind === 'capacity';
      if (!ctx.available.has(capacity ? 'forecasting_plan_capacity' : 'forecasting_advise_hpa')) return done;
      const ns = intent.namespace;
      if (intent.service === null) return namespaceSizing(ctx, ns, capacity);
      return withService(ctx, ns, intent.service, (name) => {
        const reads = need(ctx, sizingReads(ctx, ns, name, capacity));
        if (!reads.done) return reads;
        const call = capacity ? capacityCall(ctx, ns, name) : hpaAdviceCall(ctx, ns, name);
        return call ? need(ctx, [call]) : done;
      });
    }
    case 'anomaly': {
      if (intent.service === null)
        return ctx.available.has(SCAN_TOOL)
          ? need(ctx, namespaceAnomalyCalls(intent.namespace, intent.hours))
          : done;
      if (!ctx.available.has('forecasting_detect_anomalies')) return done;
      return withService(ctx, intent.namespace, intent.service, (name) =>
        need(ctx, anomalyCalls(intent.namespace, name, intent.hours)),
      );
    }
    case 'bursts': {
      if (!ctx.available.has('forecasting_predict_bursts')) return done;
      const ns = intent.namespace;
      const list = need(ctx, [{ name: 'k8s_list_deployments', args: { namespace: ns } }]);
      if (!list.done) return list;
      return need(
        ctx,
        capacityServices(ctx, ns).map((n) => burstCall(ns, n, intent.hours)),
      );
    }
    case 'delete_pod':
      return need(ctx, [
        { name: 'k8s_delete_pod', args: { namespace: intent.namespace, name: intent.pod }, mutates: true },
      ]);
    case 'logs':
      if (intent.isPod) {
        return need(ctx, [
          {
            name: 'k8s_get_pod_logs',
            args: { namespace: intent.namespace, pod: intent.target, tailLines: 40 },
          },
        ]);
      }
      return withService(ctx, intent.namespace, intent.target, (name) =>
        need(ctx, [
          {
            name: 'k8s_get_pod_logs',
            args: { namespace: intent.namespace, deployment: name, tailLines: 40 },
          },
        ]),
      );
    case 'alerts': {
      const args: Record<string, unknown> = {};
      if (intent.namespace) args.namespace = intent.namespace;
      if (intent.service) args.service = intent.service;
      return need(ctx, [{ name: 'metrics_list_alerts', args }]);
    }
    case 'list': {
      const ns = intent.namespace;
      const call: Record<typeof intent.what, PlannedCall> = {
        pods: { name: 'k8s_list_pods', args: { namespace: ns } },
        deployments: { name: 'k8s_list_deployments', args: { namespace: ns } },
        nodes: { name: 'k8s_list_nodes', args: {} },
        hpas: { name: 'k8s_list_hpas', args: { namespace: ns } },
        events: { name: 'k8s_list_events', args: { namespace: ns, limit: 20 } },
        namespaces: { name: 'k8s_list_namespaces', args: {} },
      };
      return need(ctx, [call[intent.what]]);
    }
    case 'describe': {
      const args: Record<string, unknown> = { kind: intent.resource, name: intent.name };
      if (intent.resource !== 'node' && intent.resource !== 'namespace') args.namespace = intent.namespace;
      return need(ctx, [{ name: 'k8s_describe_resource', args }]);
    }
    case 'status': {
      if (intent.service) {
        const ns = intent.namespace ?? 'prod';
        return withService(ctx, ns, intent.service, (name) =>
          need(ctx, [
            { name: 'metrics_get_golden_signals', args: { namespace: ns, service: name, windowMinutes: 15 } },
            { name: 'k8s_list_pods', args: { namespace: ns, deployment: name } },
            { name: 'k8s_list_hpas', args: { namespace: ns } },
            { name: 'metrics_list_alerts', args: { namespace: ns, service: name } },
          ]),
        );
      }
      if (intent.namespace) {
        const ns = intent.namespace;
        return need(ctx, [
          { name: 'k8s_list_deployments', args: { namespace: ns } },
          { name: 'k8s_list_hpas', args: { namespace: ns } },
          { name: 'k8s_list_pods', args: { namespace: ns } },
          { name: 'metrics_list_alerts', args: { namespace: ns } },
        ]);
      }
      const first = need(ctx, [
        { name: 'k8s_list_namespaces', args: {} },
        { name: 'k8s_list_nodes', args: {} },
        { name: 'metrics_list_alerts', args: {} },
      ]);
      if (!first.done) return first;
      return need(
        ctx,
        workloadNamespaces(ctx).map((ns) => ({ name: 'k8s_list_deployments', args: { namespace: ns } })),
      );
    }
    case 'why':
      return withService(ctx, intent.namespace, intent.service, (name) => {
        const ns = intent.namespace;
        const first = need(ctx, [
          { name: 'metrics_get_golden_signals', args: { namespace: ns, service: name, windowMinutes: 30 } },
          { name: 'k8s_list_pods', args: { namespace: ns, deployment: name } },
          { name: 'k8s_list_hpas', args: { namespace: ns } },
          { name: 'k8s_list_events', args: deploymentEventsArgs(ns, name) },
          { name: 'metrics_list_alerts', args: { namespace: ns, service: name } },
        ]);
        if (!first.done) return first;
        const more: PlannedCall[] = [];
        const pod = suspiciousPod(podsOf(ctx, ns, name));
        if (pod)
          more.push({
            name: 'k8s_get_pod_logs',
            args: {
              namespace: ns,
              pod: pod.name,
              tailLines: 30,
              previous: isCrashing(pod) && pod.restarts > 0,
            },
          });
        // Fewer pods than the deployment wants: its ReplicaSet's events say why pods are not created
        // (a namespace quota refusing them), and the quota says how full it is.
        const short = missingPods(ctx, ns, name);
        if (short) {
          if (short.replicaSet) more.push(replicaSetEventsCall(ns, short.replicaSet));
          if (ctx.available.has(QUOTAS_TOOL)) more.push({ name: QUOTAS_TOOL, args: { namespace: ns } });
        }
        return more.length > 0 ? need(ctx, more) : done;
      });
  }
}

export function workloadNamespaces(ctx: TurnContext): string[] {
  const r = ctx.find('k8s_list_namespaces', {});
  const all = ((r?.data as { namespaces?: Array<{ name: string }> })?.namespaces ?? []).map((n) => n.name);
  return all.filter((n) => !n.startsWith('kube-') && n !== 'default').slice(0, 6);
}

export function hpaFor(ctx: TurnContext, namespace: string, deployment: string): HpaInfo | undefined {
  const r = ctx.find('k8s_list_hpas', { namespace });
  const hpas = (r?.data as { hpas?: HpaInfo[] })?.hpas ?? [];
  return hpas.find((h) => h.target.name === deployment) ?? hpas.find((h) => h.name === deployment);
}

export type { AlertInfo, EventInfo, GoldenSignals };
