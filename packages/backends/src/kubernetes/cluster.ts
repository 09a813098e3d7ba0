/**
 * ClusterPort over the Kubernetes API through @kubernetes/client-node 2.x.
 *
 * Mutations follow what kubectl sends:
 * - scale:   PATCH  apps/v1 deployments/{name}/scale, merge patch {"spec":{"replicas":N}}
 * - restart: PATCH  apps/v1 deployments/{name}, strategic merge patch of the pod-template annotation
 *            kubectl.kubernetes.io/restartedAt
 * - HPA:     PATCH  autoscaling/v2 horizontalpodautoscalers/{name}, merge patch of spec.min/maxReplicas
 *            guarded by metadata.resourceVersion (the bounds were validated against that object)
 * - delete:  DELETE core/v1 pods/{name}
 */
import {
  type ClusterPort,
  type DeletePodResult,
  type DeploymentInfo,
  type DescribableKind,
  type DescribeResult,
  DevopsAiError,
  type EventInfo,
  type HpaInfo,
  InvalidArgumentError,
  type NamespaceInfo,
  type NodeGroupInfo,
  type NodeInfo,
  type PatchHpaResult,
  type PodInfo,
  type PodLogsRequest,
  type ResourceQuotaInfo,
  type RestartResult,
  type ScaleResult,
} from '@devops-ai/core';
import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  type ConfigurationOptions,
  CoreV1Api,
  type CoreV1Event,
  KubeConfig,
  Observable,
  type ObservableMiddleware,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  type V1Pod,
} from '@kubernetes/client-node';
import { z } from 'zod';
import { check, namespaceNameSchema, objectNameSchema } from '../shared/names.js';
import { type KubeTarget, mapKubeError } from './errors.js';
import {
  mapDeployment,
  mapEvent,
  mapHpa,
  mapNamespace,
  mapNode,
  mapPod,
  mapResourceQuota,
  type PodRequests,
  RESTARTED_AT_ANNOTATION,
  sortEvents,
} from './mappers.js';
import {
  AUTOSCALER_STATUS_CONFIGMAP,
  AUTOSCALER_STATUS_NAMESPACE,
  type AutoscalerGroup,
  buildNodeGroups,
  NON_TERMINATED_PODS,
  parseAutoscalerStatus,
  requestsByNode,
} from './node-groups.js';

export const kubernetesClusterConfigSchema = z
  .object({
    /** Path of a kubeconfig file. Default: the client's default loading ($KUBECONFIG, ~/.kube/config). */
    kubeconfigPath: z.string().min(1).optional(),
    /** Context to use instead of the kubeconfig's current-context. */
    context: z.string().min(1).optional(),
    /** Use the pod's service account (KUBERNETES_SERVICE_HOST, /var/run/secrets/kubernetes.io/...). */
    inCluster: z.boolean().default(false),
    /** Per-request timeout. */
    requestTimeoutMs: z.number().int().positive().max(600_000).default(15_000),
    /** Upper bound on the bytes of pod log returned by one call (Kubernetes `limitBytes`). */
    maxLogBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** Page size for list calls (Kubernetes `limit`/`continue`). */
    pageSize: z.number().int().positive().max(5000).default(500),
  })
  .strict()
  .refine((c) => !(c.inCluster && c.kubeconfigPath), {
    message: 'inCluster and kubeconfigPath are mutually exclusive',
  });

export type KubernetesClusterConfig = z.output<typeof kubernetesClusterConfigSchema>;
export type KubernetesClusterConfigInput = z.input<typeof kubernetesClusterConfigSchema>;

export interface KubernetesClusterDeps {
  /** A ready KubeConfig (tests, embedding). When set, kubeconfigPath and inCluster are ignored. */
  kubeConfig?: KubeConfig;
}

const INT32_MAX = 2 ** 31 - 1;
const replicasSchema = z.number().int().min(0).max(INT32_MAX);
const tailLinesSchema = z.number().int().min(0).max(1_000_000);
const containerNameSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
/** Equality-based selector terms: `k=v`, `k==v`, `k!=v`, comma-separated (no set-based terms). */
const SELECTOR_TERM =
  /^([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?(=|==|!=)[A-Za-z0-9._-]*$/;

function configError(message: string): DevopsAiError {
  return new DevopsAiError('config_error', message);
}

function loadKubeConfig(cfg: KubernetesClusterConfig, deps: KubernetesClusterDeps): KubeConfig {
  let kc = deps.kubeConfig;
  if (!kc) {
    kc = new KubeConfig();
    try {
      if (cfg.inCluster) kc.loadFromCluster();
      else if (cfg.kubeconfigPath) kc.loadFromFile(cfg.kubeconfigPath);
      else {
        kc.loadFromDefault();
        // With no kubeconfig anywhere the client silently falls back to http://localhost:8080.
        const c = kc.getCurrentCluster();
        if (
          kc.getCurrentContext() === 'loaded-context' &&
          c?.name === 'cluster' &&
          c.server === 'http://localhost:8080'
        ) {
          throw new Error('no kubeconfig found: set kubeconfigPath (or KUBECONFIG), or inCluster');
        }
      }
    } catch (err) {
      // The loader's errors name files and YAML positions, never credentials.
      throw configError(`cannot load Kubernetes configuration: ${(err as Error).message}`);
    }
  }
  if (cfg.context) {
    if (!kc.getContexts().some((c) => c.name === cfg.context)) {
      throw configError(`kubeconfig has no context named ${JSON.stringify(cfg.context)}`);
    }
    kc.setCurrentContext(cfg.context);
  }
  if (!kc.getCurrentCluster()) throw configError('kubeconfig has no current cluster');
  return kc;
}

/** The API server URL without any user-info, safe for messages. */
function safeServerUrl(server: string): string {
  try {
    const u = new URL(server);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid server URL>';
  }
}

/**
 * A per-call middleware. In client-node 1.x the Object API hands call-time options straight to
 * the Observable API, so middleware returns the client's own (promise-backed) Observable.
 */
function requestMiddleware(pre: (ctx: RequestContext) => void): ObservableMiddleware {
  return {
    pre: (ctx: RequestContext) => {
      pre(ctx);
      return new Observable(Promise.resolve(ctx));
    },
    post: (rsp: ResponseContext) => new Observable(Promise.resolve(rsp)),
  };
}

const KIND_OF: Record<DescribableKind, { kind: string; apiVersion: string }> = {
  deployment: { kind: 'Deployment', apiVersion: 'apps/v1' },
  pod: { kind: 'Pod', apiVersion: 'v1' },
  hpa: { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2' },
  node: { kind: 'Node', apiVersion: 'v1' },
  namespace: { kind: 'Namespace', apiVersion: 'v1' },
};

/**
 * Keeps the response body text as the API server sent it, so `describe` can return the object in
 * its wire shape (the client's deserialised models turn times into Date objects and the package
 * does not export its serializer). The body is handed on unchanged to the client.
 */
function captureBody(): { middleware: ObservableMiddleware; text: () => string } {
  let text = '';
  return {
    middleware: {
      pre: (ctx: RequestContext) => new Observable(Promise.resolve(ctx)),
      post: (rsp: ResponseContext) =>
        new Observable(
          (async () => {
            text = await rsp.body.text();
            rsp.body = {
              text: async () => text,
              binary: async () => Buffer.from(text),
            };
            return rsp;
          })(),
        ),
    },
    text: () => text,
  };
}

/** Env var names whose literal values are credentials by convention. */
const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * Replace literal values of secret-looking env vars in pod templates and pods. The object goes to
 * a model and into logs; `valueFrom` references stay, they name where the secret lives.
 */
export function redactSecretEnv(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    if (!CONTAINER_LISTS.has(key)) return value.map((v) => redactSecretEnv(v));
    return value.map((c) => {
      if (!c || typeof c !== 'object') return c;
      const container = c as { env?: Array<{ name?: string; value?: string }> };
      if (!Array.isArray(container.env)) return c;
      return {
        ...container,
        env: container.env.map((e) =>
          e && typeof e.value === 'string' && SECRET_ENV_NAME.test(e.name ?? '')
            ? { ...e, value: '[redacted]' }
            : e,
        ),
      };
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecretEnv(v, k)]));
  }
  return value;
}

/** kubectl's restartedAt format: RFC 3339 with second precision. */
function rfc3339Now(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string };
}

export class KubernetesCluster implements ClusterPort {
  readonly backend: string;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly server: string;
  private readonly defaultNamespace: string;

  constructor(
    kc: KubeConfig,
    private readonly cfg: KubernetesClusterConfig,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.autoscaling = kc.makeApiClient(AutoscalingV2Api);
    this.server = safeServerUrl(kc.getCurrentCluster()?.server ?? '');
    const ctx = kc.getContextObject(kc.getCurrentContext());
    this.defaultNamespace = ctx?.namespace ?? 'default';
    this.backend = `kubernetes (context ${kc.getCurrentContext() || 'in-cluster'})`;
  }

  // --- plumbing ------------------------------------------------------------------------------

  private options(contentType?: string, extra: ObservableMiddleware[] = []): ConfigurationOptions {
    const timeoutMs = this.cfg.requestTimeoutMs;
    const middleware = [
      requestMiddleware((ctx) => ctx.setSignal(AbortSignal.timeout(timeoutMs))),
      // The generated client defaults PATCH to application/json-patch+json; kubectl's formats
      // are chosen here per call.
      ...(contentType ? [requestMiddleware((ctx) => ctx.setHeaderParam('Content-Type', contentType))] : []),
      ...extra,
    ];
    // Append keeps any middleware configured on the client itself.
    return { middleware, middlewareMergeStrategy: 'append' };
  }

  private async call<T>(target: KubeTarget, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapKubeError(err, target, this.server, this.cfg.requestTimeoutMs);
    }
  }

  private async listAll<T>(
    target: KubeTarget,
    page: (p: { limit: number; _continue?: string }) => Promise<ListPage<T>>,
  ): Promise<T[]> {
    let out: T[] = [];
    let cont: string | undefined;
    let relisted = false;
    for (let i = 0; i < 10_000; i++) {
      let r: ListPage<T>;
      try {
        r = await page({ limit: this.cfg.pageSize, ...(cont ? { _continue: cont } : {}) });
      } catch (err) {
        // 410 Gone: the continue token expired (etcd compacted) between pages. Like client-go's
        // pager, start over once from a fresh snapshot.
        if (cont && !relisted && err instanceof ApiException && err.code === 410) {
          relisted = true;
          out = [];
          cont = undefined;
          continue;
        }
        throw mapKubeError(err, target, this.server, this.cfg.requestTimeoutMs);
      }
      out.push(...r.items);
      cont = r.metadata?._continue || undefined;
      if (!cont) return out;
    }
    throw new DevopsAiError('backend_error', 'Kubernetes list did not terminate');
  }

  private ns(namespace: string | undefined): string {
    return check(namespaceNameSchema, namespace ?? this.defaultNamespace, 'namespace');
  }

  // --- reads ---------------------------------------------------------------------------------

  async listNamespaces(): Promise<NamespaceInfo[]> {
    const items = await this.listAll({ kind: 'namespaces', name: '' }, (p) =>
      this.core.listNamespace(p, this.options()),
    );
    return items.map(mapNamespace);
  }

  async listDeployments(namespace: string): Promise<DeploymentInfo[]> {
    const ns = this.ns(namespace);
    const items = await this.listAll({ kind: 'namespace', name: ns }, (p) =>
      this.apps.listNamespacedDeployment({ namespace: ns, ...p }, this.options()),
    );
    return items.map(mapDeployment);
  }

  async getDeployment(namespace: string, name: string): Promise<DeploymentInfo> {
    const ns = this.ns(namespace);
    const n = check(objectNameSchema, name, 'deployment name');
    const d = await this.call({ kind: 'deployment', name: n, namespace: ns }, () =>
      this.apps.readNamespacedDeployment({ namespace: ns, name: n }, this.options()),
    );
    return mapDeployment(d);
  }

  async listPods(namespace: string, labelSelector?: string): Promise<PodInfo[]> {
    const ns = this.ns(namespace);
    let selector: string | undefined;
    if (labelSelector !== undefined && labelSelector.trim() !== '') {
      const terms = labelSelector.split(',').map((t) => t.trim());
      for (const t of terms) {
        if (!SELECTOR_TERM.test(t)) {
          throw new InvalidArgumentError(
            `invalid label selector term ${JSON.stringify(t)}: use equality terms such as app=checkout-api`,
            { field: 'labelSelector' },
          );
        }
      }
      selector = terms.join(',');
    }
    const items = await this.listAll({ kind: 'namespace', name: ns }, (p) =>
      this.core.listNamespacedPod(
        { namespace: ns, ...(selector ? { labelSelector: selector } : {}), ...p },
        this.options(),
      ),
    );
    return items.map(mapPod);
  }

  async listHpas(namespace: string): Promise<HpaInfo[]> {
    const ns = this.ns(namespace);
    const items = await this.listAll({ kind: 'namespace', name: ns }, (p) =>
      this.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: ns, ...p }, this.options()),
    );
    return items.map(mapHpa);
  }

  async listResourceQuotas(namespace: string): Promise<ResourceQuotaInfo[]> {
    const ns = this.ns(namespace);
    const items = await this.listAll({ kind: 'namespace', name: ns }, (p) =>
      this.core.listNamespacedResourceQuota({ namespace: ns, ...p }, this.options()),
    );
    // The API server lists in key order already; sorting here keeps the port's promise either way.
    return items.map(mapResourceQuota).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async listNodes(): Promise<NodeInfo[]> {
    const items = await this.listAll({ kind: 'nodes', name: '' }, (p) =>
      this.core.listNode(p, this.options()),
    );
    return items.map(mapNode);
  }

  async listNodeGroups(): Promise<NodeGroupInfo[]> {
    const [nodes, requested, autoscaler] = await Promise.all([
      this.listNodes(),
      this.podRequestsByNode(),
      this.autoscalerGroups(),
    ]);
    return buildNodeGroups(nodes, requested, autoscaler);
  }

  /** Requests per node over the non-terminated pods of all namespaces; null when RBAC forbids the list. */
  private async podRequestsByNode(): Promise<Map<string, PodRequests> | null> {
    let pods: V1Pod[];
    try {
      pods = await this.listAll({ kind: 'pods', name: '' }, (p) =>
        this.core.listPodForAllNamespaces({ fieldSelector: NON_TERMINATED_PODS, ...p }, this.options()),
      );
    } catch (err) {
      if (err instanceof DevopsAiError && err.code === 'forbidden') return null;
      throw err;
    }
    return requestsByNode(pods);
  }

  /**
   * The groups in the cluster autoscaler's status ConfigMap. No autoscaler (404) or no right to
   * read it (403) means no bounds, not a failure; other errors (timeouts, 5xx) are raised.
   */
  private async autoscalerGroups(): Promise<AutoscalerGroup[]> {
    const target = {
      kind: 'configmap',
      name: AUTOSCALER_STATUS_CONFIGMAP,
      namespace: AUTOSCALER_STATUS_NAMESPACE,
    };
    try {
      const cm = await this.call(target, () =>
        this.core.readNamespacedConfigMap(
          { namespace: AUTOSCALER_STATUS_NAMESPACE, name: AUTOSCALER_STATUS_CONFIGMAP },
          this.options(),
        ),
      );
      return parseAutoscalerStatus(cm.data?.status ?? '');
    } catch (err) {
      if (err instanceof DevopsAiError && (err.code === 'not_found' || err.code === 'forbidden')) return [];
      throw err;
    }
  }

  async listEvents(namespace?: string, involvedObjectName?: string): Promise<EventInfo[]> {
    return sortEvents((await this.rawEvents(namespace, involvedObjectName)).map(mapEvent));
  }

  private async rawEvents(
    namespace?: string,
    involvedObjectName?: string,
    kind?: string,
  ): Promise<CoreV1Event[]> {
    const fields: string[] = [];
    // Names are DNS-1123 subdomains and kinds are identifiers: nothing to escape in the selector.
    if (involvedObjectName !== undefined) {
      fields.push(
        `involvedObject.name=${check(objectNameSchema, involvedObjectName, 'involved object name')}`,
      );
    }
    if (kind) fields.push(`involvedObject.kind=${kind}`);
    const fieldSelector = fields.length ? { fieldSelector: fields.join(',') } : {};
    if (namespace === undefined) {
      return this.listAll({ kind: 'events', name: '' }, (p) =>
        this.core.listEventForAllNamespaces({ ...fieldSelector, ...p }, this.options()),
      );
    }
    const ns = this.ns(namespace);
    return this.listAll({ kind: 'namespace', name: ns }, (p) =>
      this.core.listNamespacedEvent({ namespace: ns, ...fieldSelector, ...p }, this.options()),
    );
  }

  async describe(kind: DescribableKind, name: string, namespace?: string): Promise<DescribeResult> {
    const meta = KIND_OF[kind];
    if (!meta) throw new InvalidArgumentError(`cannot describe kind ${JSON.stringify(kind)}`);
    const clusterScoped = kind === 'node' || kind === 'namespace';
    const n = check(kind === 'namespace' ? namespaceNameSchema : objectNameSchema, name, `${kind} name`);
    const ns = clusterScoped ? undefined : this.ns(namespace);
    const target = { kind, name: n, namespace: ns };
    const raw = captureBody();
    await this.call(target, (): Promise<unknown> => {
      const o = this.options(undefined, [raw.middleware]);
      switch (kind) {
        case 'deployment':
          return this.apps.readNamespacedDeployment({ namespace: ns ?? '', name: n }, o);
        case 'pod':
          return this.core.readNamespacedPod({ namespace: ns ?? '', name: n }, o);
        case 'hpa':
          return this.autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace: ns ?? '', name: n }, o);
        case 'node':
          return this.core.readNode({ name: n }, o);
        case 'namespace':
          return this.core.readNamespace({ name: n }, o);
      }
    });
    // The wire shape, as `kubectl get -o json` prints it.
    let wire: Record<string, unknown>;
    try {
      wire = JSON.parse(raw.text()) as Record<string, unknown>;
    } catch {
      throw new DevopsAiError('backend_error', `the Kubernetes API returned a non-JSON ${meta.kind}`);
    }
    const object = redactSecretEnv({ apiVersion: meta.apiVersion, kind: meta.kind, ...wire }) as Record<
      string,
      unknown
    >;
    const metadata = object.metadata as
      | { managedFields?: unknown; annotations?: Record<string, string> }
      | undefined;
    if (metadata) {
      // What `kubectl describe` leaves out too: field-manager bookkeeping and the applied copy.
      delete metadata.managedFields;
      if (metadata.annotations)
        delete metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    }
    const events = await this.rawEvents(clusterScoped ? undefined : ns, n, meta.kind);
    return { kind, namespace: ns ?? null, name: n, object, events: sortEvents(events.map(mapEvent)) };
  }

  async podLogs(req: PodLogsRequest): Promise<string> {
    const ns = this.ns(req.namespace);
    const pod = check(objectNameSchema, req.pod, 'pod name');
    const params = {
      namespace: ns,
      name: pod,
      limitBytes: this.cfg.maxLogBytes,
      ...(req.container !== undefined
        ? { container: check(containerNameSchema, req.container, 'container') }
        : {}),
      ...(req.tailLines !== undefined
        ? { tailLines: check(tailLinesSchema, req.tailLines, 'tailLines') }
        : {}),
      ...(req.previous ? { previous: true } : {}),
    };
    const text = await this.call({ kind: 'pod', name: pod, namespace: ns }, () =>
      this.core.readNamespacedPodLog(params, this.options()),
    );
    return typeof text === 'string' ? text : String(text ?? '');
  }

  // --- mutations -----------------------------------------------------------------------------

  async scaleDeployment(namespace: string, name: string, replicas: number): Promise<ScaleResult> {
    const ns = this.ns(namespace);
    const n = check(objectNameSchema, name, 'deployment name');
    const r = check(replicasSchema, replicas, 'replicas');
    const target = { kind: 'deployment', name: n, namespace: ns };
    const before = await this.call(target, () =>
      this.apps.readNamespacedDeploymentScale({ namespace: ns, name: n }, this.options()),
    );
    const after = await this.call(target, () =>
      this.apps.patchNamespacedDeploymentScale(
        { namespace: ns, name: n, body: { spec: { replicas: r } } },
        this.options(PatchStrategy.MergePatch),
      ),
    );
    return {
      namespace: ns,
      name: n,
      previousReplicas: before.spec?.replicas ?? 0,
      replicas: after.spec?.replicas ?? r,
    };
  }

  async rolloutRestart(namespace: string, name: string): Promise<RestartResult> {
    const ns = this.ns(namespace);
    const n = check(objectNameSchema, name, 'deployment name');
    const target = { kind: 'deployment', name: n, namespace: ns };
    const current = await this.call(target, () =>
      this.apps.readNamespacedDeployment({ namespace: ns, name: n }, this.options()),
    );
    if (current.spec?.paused) {
      // kubectl refuses too: a paused deployment would not roll out.
      throw new InvalidArgumentError(`deployment ${ns}/${n} is paused; resume it before restarting`);
    }
    const restartedAt = rfc3339Now();
    const body = {
      spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt } } } },
    };
    const updated = await this.call(target, () =>
      this.apps.patchNamespacedDeployment(
        { namespace: ns, name: n, body },
        this.options(PatchStrategy.StrategicMergePatch),
      ),
    );
    return {
      namespace: ns,
      name: n,
      restartedAt: updated.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] ?? restartedAt,
    };
  }

  async patchHpa(
    namespace: string,
    name: string,
    patch: { minReplicas?: number; maxReplicas?: number },
  ): Promise<PatchHpaResult> {
    const ns = this.ns(namespace);
    const n = check(objectNameSchema, name, 'HPA name');
    const p = check(
      z
        .object({ minReplicas: replicasSchema.optional(), maxReplicas: replicasSchema.min(1).optional() })
        .strict()
        .refine((v) => v.minReplicas !== undefined || v.maxReplicas !== undefined, {
          message: 'give minReplicas, maxReplicas or both',
        }),
      patch,
      'HPA patch',
    );
    const target = { kind: 'hpa', name: n, namespace: ns };
    const current = await this.call(target, () =>
      this.autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace: ns, name: n }, this.options()),
    );
    const previous = {
      minReplicas: current.spec?.minReplicas ?? 1,
      maxReplicas: current.spec?.maxReplicas ?? 0,
    };
    const minReplicas = p.minReplicas ?? previous.minReplicas;
    const maxReplicas = p.maxReplicas ?? previous.maxReplicas;
    if (minReplicas > maxReplicas) {
      throw new InvalidArgumentError(
        `minReplicas (${minReplicas}) must be less than or equal to maxReplicas (${maxReplicas}) for HPA ${ns}/${n}`,
        { minReplicas, maxReplicas },
      );
    }
    const spec: { minReplicas?: number; maxReplicas?: number } = {};
    if (p.minReplicas !== undefined) spec.minReplicas = p.minReplicas;
    if (p.maxReplicas !== undefined) spec.maxReplicas = p.maxReplicas;
    // resourceVersion makes the patch conditional: the bounds were checked against this object.
    const body = { metadata: { resourceVersion: current.metadata?.resourceVersion }, spec };
    const updated = await this.call(target, () =>
      this.autoscaling.patchNamespacedHorizontalPodAutoscaler(
        { namespace: ns, name: n, body },
        this.options(PatchStrategy.MergePatch),
      ),
    );
    return {
      namespace: ns,
      name: n,
      previous,
      minReplicas: updated.spec?.minReplicas ?? minReplicas,
      maxReplicas: updated.spec?.maxReplicas ?? maxReplicas,
    };
  }

  async deletePod(namespace: string, name: string): Promise<DeletePodResult> {
    const ns = this.ns(namespace);
    const n = check(objectNameSchema, name, 'pod name');
    await this.call({ kind: 'pod', name: n, namespace: ns }, () =>
      this.core.deleteNamespacedPod({ namespace: ns, name: n }, this.options()),
    );
    return { namespace: ns, name: n, deleted: true };
  }

  async close(): Promise<void> {
    // Stateless: the client keeps no connections that need closing.
  }
}

export function createKubernetesCluster(
  config: KubernetesClusterConfigInput = {},
  deps: KubernetesClusterDeps = {},
): KubernetesCluster {
  const parsed = kubernetesClusterConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw configError(
      `invalid Kubernetes configuration: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return new KubernetesCluster(loadKubeConfig(parsed.data, deps), parsed.data);
}
