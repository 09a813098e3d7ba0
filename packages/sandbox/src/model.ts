/**
 * The static shape of the sandbox world: services, their sizing, and node groups. Everything
 * that changes over time lives in the persisted WorldState (./state.ts).
 */

/** The simulated world's clock starts here (a Monday morning) and only moves by `advance`. */
export const SANDBOX_START = '2026-03-02T08:00:00.000Z';
export const SANDBOX_START_MS = Date.parse(SANDBOX_START);
/**
 * How much history a new world pre-simulates before SANDBOX_START: the whole retention, so range
 * queries, the daily cycle of a forecast (two days and more) and week-long windows have data at once.
 */
export const HISTORY_MINUTES = 3 * 24 * 60;
/** Per-minute samples older than this are trimmed. */
export const RETENTION_MINUTES = 3 * 24 * 60;
/** Events older than this are trimmed (Kubernetes' default --event-ttl is 1h). */
export const EVENT_TTL_MINUTES = 60;
export const TICK_SECONDS = 15;

/** Namespaces with workloads. */
export const NAMESPACES = ['prod', 'staging'] as const;
export type NamespaceName = (typeof NAMESPACES)[number];
/** Every namespace the cluster reports; `default` holds the node events, as in Kubernetes. */
export const CLUSTER_NAMESPACES = ['default', 'prod', 'staging'] as const;

/** The compute resources a sandbox quota can limit: the pods' container requests and limits, and their count. */
export type QuotaResource = 'pods' | 'requests.cpu' | 'limits.cpu' | 'requests.memory' | 'limits.memory';

/**
 * A namespace's ResourceQuota (core/v1). Only `hard` is static: `used` is summed from the current
 * pods at every read, the way the quota controller recalculates it.
 */
export interface ResourceQuotaSpec {
  namespace: NamespaceName;
  name: string;
  /** Limits in base units: CPU in cores, memory in bytes, pods as a count. */
  hard: Partial<Record<QuotaResource, number>>;
}

const GiB = 2 ** 30;

/**
 * `prod` at SANDBOX_START runs 13 pods requesting 2.7 cores and 3968 MiB (7936 MiB of memory limits);
 * the weekday traffic peak takes it to about 23 pods and 4.8 cores. Every HPA at its maximum would run
 * 44 pods requesting 9.4 cores and 13952 MiB (27904 MiB of limits): the quota lets the namespace's
 * autoscalers reach their maxima with a little room for a rollout's surge pods, and stops a runaway
 * beyond that. It is enforced: a pod past it is refused (`FailedCreate`, ./quota.ts).
 */
export const RESOURCE_QUOTAS: readonly ResourceQuotaSpec[] = [
  {
    namespace: 'prod',
    name: 'prod-quota',
    hard: { pods: 50, 'requests.cpu': 10, 'requests.memory': 16 * GiB, 'limits.memory': 32 * GiB },
  },
];

export const SERVICE_NAMES = ['frontend', 'checkout-api', 'cart', 'payments', 'search', 'catalog'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  name: ServiceName;
  /** Mean requests/s in prod at trace load 1. */
  baseRps: number;
  /** CPU core-seconds per request. */
  cpuPerRequest: number;
  /** Idle CPU per pod, cores. */
  idleCores: number;
  cpuRequestMillicores: number;
  cpuLimitMillicores: number;
  memRequestMiB: number;
  memLimitMiB: number;
  /** Working set of an idle pod, MiB, and extra MiB per request/s served by the pod. */
  baseMemMiB: number;
  memPerRps: number;
  /** Service time of one request at low utilisation, ms (own work, without downstream calls). */
  serviceTimeMs: number;
  /** Latency objective for p95, ms: alerts and slow-request warnings above it. */
  p95SloMs: number;
  baseErrorRate: number;
  /** Downstream calls per request: latency and errors propagate upstream. */
  calls: Partial<Record<ServiceName, number>>;
  version: string;
  hpa: { prod: HpaSpec; staging: HpaSpec };
  /** Representative request paths for access logs. */
  paths: string[];
  language: 'node' | 'go' | 'java' | 'python';
}

export interface HpaSpec {
  min: number;
  max: number;
  targetCpu: number;
}

export const SERVICES: Record<ServiceName, ServiceSpec> = {
  frontend: {
    name: 'frontend',
    baseRps: 60,
    cpuPerRequest: 0.004,
    idleCores: 0.01,
    cpuRequestMillicores: 200,
    cpuLimitMillicores: 300,
    memRequestMiB: 256,
    memLimitMiB: 512,
    baseMemMiB: 170,
    memPerRps: 0.6,
    serviceTimeMs: 18,
    p95SloMs: 500,
    baseErrorRate: 0.001,
    calls: { catalog: 0.6, search: 0.15, cart: 0.2, 'checkout-api': 0.03 },
    version: '2.8.1',
    hpa: { prod: { min: 3, max: 10, targetCpu: 70 }, staging: { min: 1, max: 3, targetCpu: 70 } },
    paths: [
      'GET /',
      'GET /products',
      'GET /product/{id}',
      'GET /static/app.js',
      'GET /cart',
      'POST /checkout',
    ],
    language: 'node',
  },
  'checkout-api': {
    name: 'checkout-api',
    baseRps: 8,
    cpuPerRequest: 0.02,
    idleCores: 0.01,
    cpuRequestMillicores: 250,
    cpuLimitMillicores: 375,
    memRequestMiB: 384,
    memLimitMiB: 768,
    baseMemMiB: 260,
    memPerRps: 2,
    serviceTimeMs: 45,
    p95SloMs: 800,
    baseErrorRate: 0.002,
    calls: { payments: 0.8, cart: 1 },
    version: '1.14.2',
    hpa: { prod: { min: 2, max: 8, targetCpu: 70 }, staging: { min: 1, max: 3, targetCpu: 70 } },
    paths: ['POST /api/v1/checkout', 'GET /api/v1/orders/{id}', 'POST /api/v1/checkout/quote'],
    language: 'java',
  },
  cart: {
    name: 'cart',
    baseRps: 18,
    cpuPerRequest: 0.006,
    idleCores: 0.005,
    cpuRequestMillicores: 150,
    cpuLimitMillicores: 225,
    memRequestMiB: 192,
    memLimitMiB: 384,
    baseMemMiB: 120,
    memPerRps: 0.8,
    serviceTimeMs: 8,
    p95SloMs: 120,
    baseErrorRate: 0.0008,
    calls: {},
    version: '3.2.0',
    hpa: { prod: { min: 2, max: 6, targetCpu: 75 }, staging: { min: 1, max: 2, targetCpu: 75 } },
    paths: ['GET /cart/{id}', 'POST /cart/{id}/items', 'DELETE /cart/{id}/items/{sku}'],
    language: 'go',
  },
  payments: {
    name: 'payments',
    baseRps: 5,
    cpuPerRequest: 0.025,
    idleCores: 0.01,
    cpuRequestMillicores: 200,
    cpuLimitMillicores: 300,
    memRequestMiB: 256,
    memLimitMiB: 512,
    baseMemMiB: 190,
    memPerRps: 3,
    serviceTimeMs: 110,
    p95SloMs: 900,
    baseErrorRate: 0.003,
    calls: {},
    version: '4.1.7',
    hpa: { prod: { min: 2, max: 6, targetCpu: 70 }, staging: { min: 1, max: 2, targetCpu: 70 } },
    paths: ['POST /v1/payments', 'POST /v1/payments/{id}/capture', 'GET /v1/payments/{id}'],
    language: 'java',
  },
  search: {
    name: 'search',
    baseRps: 30,
    cpuPerRequest: 0.008,
    idleCores: 0.01,
    cpuRequestMillicores: 300,
    cpuLimitMillicores: 450,
    memRequestMiB: 512,
    memLimitMiB: 1024,
    baseMemMiB: 380,
    memPerRps: 1.5,
    serviceTimeMs: 35,
    p95SloMs: 450,
    baseErrorRate: 0.001,
    calls: { catalog: 0.3 },
    version: '0.19.4',
    hpa: { prod: { min: 2, max: 8, targetCpu: 65 }, staging: { min: 1, max: 2, targetCpu: 65 } },
    paths: ['GET /search?q={q}', 'GET /suggest?q={q}'],
    language: 'python',
  },
  catalog: {
    name: 'catalog',
    baseRps: 45,
    cpuPerRequest: 0.003,
    idleCores: 0.005,
    cpuRequestMillicores: 150,
    cpuLimitMillicores: 225,
    memRequestMiB: 256,
    memLimitMiB: 512,
    baseMemMiB: 160,
    memPerRps: 0.5,
    serviceTimeMs: 12,
    p95SloMs: 150,
    baseErrorRate: 0.0005,
    calls: {},
    version: '5.0.3',
    hpa: { prod: { min: 2, max: 6, targetCpu: 75 }, staging: { min: 1, max: 2, targetCpu: 75 } },
    paths: ['GET /products/{id}', 'GET /products?category={c}', 'GET /inventory/{sku}'],
    language: 'go',
  },
};

/** Staging carries this fraction of prod's traffic. */
export const STAGING_TRAFFIC_FRACTION = 0.03;

/** Services in dependency order (callees before callers) so latency can propagate upstream. */
export const SERVICE_ORDER: ServiceName[] = [
  'payments',
  'cart',
  'catalog',
  'search',
  'checkout-api',
  'frontend',
];

export const IMAGE_REGISTRY = 'ghcr.io/acme-shop';

export interface NodeGroupSpec {
  name: string;
  instanceType: string;
  capacityType: 'on-demand' | 'spot';
  hourlyPrice: number;
  cpuAllocatableMillicores: number;
  memoryAllocatableMiB: number;
  minSize: number;
  maxSize: number;
  initialSize: number;
  /** Cluster-autoscaler expander priority: higher is tried first. */
  priority: number;
}

/** m6i.large: 2 vCPU / 8 GiB; allocatable as EKS reports it after system reservations. */
export const NODE_GROUPS: NodeGroupSpec[] = [
  {
    name: 'general-ondemand',
    instanceType: 'm6i.large',
    capacityType: 'on-demand',
    hourlyPrice: 0.096,
    cpuAllocatableMillicores: 1930,
    memoryAllocatableMiB: 7084,
    minSize: 3,
    maxSize: 6,
    initialSize: 3,
    priority: 10,
  },
  {
    name: 'burst-spot',
    instanceType: 'm6i.large',
    capacityType: 'spot',
    hourlyPrice: 0.0352,
    cpuAllocatableMillicores: 1930,
    memoryAllocatableMiB: 7084,
    minSize: 0,
    maxSize: 8,
    initialSize: 0,
    priority: 20,
  },
];

export const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] as const;

/** Cluster-autoscaler timings (its defaults, with a provisioning delay typical of EC2). */
export const AUTOSCALER = {
  provisionSeconds: 180,
  scaleDownUnneededSeconds: 600,
  scaleDownDelayAfterAddSeconds: 600,
  scaleDownUtilizationThreshold: 0.5,
};

/** HPA controller defaults (autoscaling/v2). */
export const HPA_DEFAULTS = {
  tolerance: 0.1,
  scaleDownStabilizationSeconds: 300,
  scaleUpPods: 4,
  scaleUpPercent: 100,
  scaleDownPercent: 100,
  periodSeconds: 15,
};

export const KUBELET = {
  pullSecondsMin: 8,
  pullSecondsMax: 25,
  readinessSecondsMin: 15,
  readinessSecondsMax: 40,
  backoffInitialSeconds: 10,
  backoffMaxSeconds: 300,
  backoffResetSeconds: 600,
  terminationGraceSeconds: 30,
};
