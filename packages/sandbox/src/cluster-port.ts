import {
  type ClusterPort,
  type DeletePodResult,
  type DeploymentInfo,
  type DescribableKind,
  type DescribeResult,
  type EventInfo,
  type HpaInfo,
  InvalidArgumentError,
  type Labels,
  type NamespaceInfo,
  type NodeGroupInfo,
  type NodeInfo,
  NotFoundError,
  type PatchHpaResult,
  type PodInfo,
  type PodLogsRequest,
  type ResourceQuotaInfo,
  type RestartResult,
  type ScaleResult,
} from '@devops-ai/core';
import { z } from 'zod';
import { generatedLines, type TimedLine } from './logs.js';
import { CLUSTER_NAMESPACES, NODE_GROUPS, type NodeGroupSpec, RESOURCE_QUOTAS, SERVICES } from './model.js';
import { resourceQuotaInfo } from './quota.js';
import { fnv1a } from './random.js';
import { groupOf, podUid } from './sim.js';
import type { DeploymentState, HpaState, NodeState, PodState, WorldState } from './state.js';
import type { EventRow } from './store.js';
import type { WorldCore } from './world-core.js';

const iso = (ms: number) => new Date(ms).toISOString();
const instanceId = (name: string) =>
  (fnv1a(name).toString(16) + fnv1a(`${name}#`).toString(16)).padEnd(16, '0').slice(0, 16);
/** Without tailLines, logs are capped at this many lines (the newest). */
export const DEFAULT_LOG_LINES = 1000;

const scaleSchema = z.number().int().min(0).max(1000);
const hpaPatchSchema = z
  .object({
    minReplicas: z.number().int().min(1).max(1000).optional(),
    maxReplicas: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine(
    (p) => p.minReplicas !== undefined || p.maxReplicas !== undefined,
    'give minReplicas or maxReplicas',
  );
const logsSchema = z
  .object({
    namespace: z.string().min(1),
    pod: z.string().min(1),
    container: z.string().min(1).optional(),
    tailLines: z.number().int().min(1).max(100_000).optional(),
    previous: z.boolean().optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new InvalidArgumentError(
      `invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`,
    );
  }
  return r.data;
}

export function deploymentLabels(d: { name: string }): Labels {
  return { app: d.name, 'app.kubernetes.io/name': d.name, 'app.kubernetes.io/part-of': 'acme-shop' };
}

export function podLabels(p: PodState): Labels {
  return { app: p.service, 'app.kubernetes.io/name': p.service, 'pod-template-hash': p.templateHash };
}

export function podStatus(p: PodState): string {
  switch (p.state) {
    case 'pending':
      return 'Pending';
    case 'creating':
      return 'ContainerCreating';
    case 'terminated':
      return p.lastTermination?.reason ?? 'Error';
    case 'backoff':
      return 'CrashLoopBackOff';
    default:
      return 'Running';
  }
}

export function toDeploymentInfo(state: WorldState, d: DeploymentState): DeploymentInfo {
  const pods = state.pods.filter((p) => p.namespace === d.namespace && p.service === d.name);
  const ready = pods.filter((p) => p.ready).length;
  return {
    namespace: d.namespace,
    name: d.name,
    replicas: d.replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    updatedReplicas: pods.filter((p) => p.templateHash === d.templateHash).length,
    images: [d.image],
    labels: deploymentLabels(d),
    selector: { app: d.name },
    restartedAt: d.restartedAt,
    createdAt: iso(d.createdAtMs),
  };
}

export function toPodInfo(p: PodState): PodInfo {
  const waiting = p.state === 'pending' || p.state === 'creating' || p.state === 'backoff';
  return {
    namespace: p.namespace,
    name: p.name,
    phase: p.state === 'pending' || p.state === 'creating' ? 'Pending' : 'Running',
    status: podStatus(p),
    ready: p.ready,
    restarts: p.restarts,
    node: p.node,
    labels: podLabels(p),
    deployment: p.service,
    containers: [
      {
        name: p.service,
        image: p.image,
        ready: p.ready,
        restartCount: p.restarts,
        state: waiting ? 'waiting' : p.state === 'terminated' ? 'terminated' : 'running',
        reason:
          p.state === 'creating'
            ? 'ContainerCreating'
            : p.state === 'backoff'
              ? 'CrashLoopBackOff'
              : p.state === 'terminated'
                ? (p.lastTermination?.reason ?? 'Error')
                : null,
        lastTerminationReason: p.lastTermination?.reason ?? null,
      },
    ],
    startedAt: p.scheduledAtMs === null ? null : iso(p.scheduledAtMs),
    createdAt: iso(p.createdAtMs),
  };
}

export function toHpaInfo(h: HpaState): HpaInfo {
  return {
    namespace: h.namespace,
    name: h.name,
    target: { kind: 'Deployment', name: h.name },
    minReplicas: h.minReplicas,
    maxReplicas: h.maxReplicas,
    targetCpuUtilization: h.targetCpu,
    currentCpuUtilization: h.currentCpu,
    currentReplicas: h.currentReplicas,
    desiredReplicas: h.desiredReplicas,
  };
}

/**
 * A node group as it stands now: bounds from its spec (the sandbox's cluster autoscaler works within
 * them), target = its nodes including those still booting (the autoscaler counts a node it asked
 * for at once), requests of the pods bound to its ready nodes. The sandbox's pods have one container
 * and no init containers or overhead, so a pod's effective request is its container's.
 */
export function toNodeGroupInfo(state: WorldState, g: NodeGroupSpec): NodeGroupInfo {
  const nodes = state.nodes.filter((n) => n.group === g.name);
  const ready = new Set(nodes.filter((n) => n.ready).map((n) => n.name));
  let cpu = 0;
  let mem = 0;
  for (const p of state.pods) {
    if (p.node === null || !ready.has(p.node)) continue;
    cpu += SERVICES[p.service].cpuRequestMillicores;
    mem += SERVICES[p.service].memRequestMiB;
  }
  return {
    name: g.name,
    boundsSource: 'sandbox',
    minSize: g.minSize,
    maxSize: g.maxSize,
    targetSize: nodes.length,
    nodes: nodes.length,
    readyNodes: ready.size,
    cpuAllocatableMillicores: ready.size * g.cpuAllocatableMillicores,
    memoryAllocatableMiB: ready.size * g.memoryAllocatableMiB,
    cpuRequestedMillicores: cpu,
    memoryRequestedMiB: mem,
    // every node of a group has the group's instance shape, booted or not
    nodeCpuAllocatableMillicores: g.cpuAllocatableMillicores,
    nodeMemoryAllocatableMiB: g.memoryAllocatableMiB,
  };
}

export function nodeLabels(n: NodeState): Labels {
  const g = groupOf(n);
  return {
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': g.instanceType,
    'topology.kubernetes.io/region': 'eu-west-1',
    'topology.kubernetes.io/zone': n.zone,
    'eks.amazonaws.com/nodegroup': g.name,
    'eks.amazonaws.com/capacityType': g.capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND',
  };
}

export function toNodeInfo(n: NodeState): NodeInfo {
  const g = groupOf(n);
  return {
    name: n.name,
    ready: n.ready,
    nodeGroup: g.name,
    instanceType: g.instanceType,
    capacityType: g.capacityType,
    zone: n.zone,
    hourlyPrice: g.hourlyPrice,
    cpuAllocatableMillicores: g.cpuAllocatableMillicores,
    memoryAllocatableMiB: g.memoryAllocatableMiB,
    labels: nodeLabels(n),
    createdAt: iso(n.createdAtMs),
  };
}

export function toEventInfo(e: EventRow): EventInfo {
  return {
    namespace: e.namespace,
    type: e.type,
    reason: e.reason,
    message: e.message,
    involvedObject: { kind: e.kind, name: e.name },
    count: e.count,
    firstTimestamp: iso(e.first_ms),
    lastTimestamp: iso(e.last_ms),
  };
}

function parseSelector(selector: string): Array<{ key: string; op: '=' | '!='; value: string }> {
  const out: Array<{ key: string; op: '=' | '!='; value: string }> = [];
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    const m = /^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/.exec(term);
    if (!m)
      throw new InvalidArgumentError(
        `unsupported label selector term "${term}" (equality terms only: key=value, key!=value)`,
      );
    out.push({ key: m[1] ?? '', op: m[2] === '!=' ? '!=' : '=', value: m[3] ?? '' });
  }
  return out;
}

const resources = (cpu: number, mem: number) => ({ cpu: `${cpu}m`, memory: `${mem}Mi` });

/** The ClusterPort over the sandbox world. Every call reads the state afresh from SQLite. */
export class SandboxClusterPort implements ClusterPort {
  readonly backend = 'sandbox';
  constructor(private readonly core: WorldCore) {}

  async listNamespaces(): Promise<NamespaceInfo[]> {
    return CLUSTER_NAMESPACES.map((name) => ({
      name,
      status: 'Active',
      labels: { 'kubernetes.io/metadata.name': name },
    }));
  }

  async listDeployments(namespace: string): Promise<DeploymentInfo[]> {
    const state = this.core.state();
    return state.deployments.filter((d) => d.namespace === namespace).map((d) => toDeploymentInfo(state, d));
  }

  async getDeployment(namespace: string, name: string): Promise<DeploymentInfo> {
    const state = this.core.state();
    const d = state.deployments.find((x) => x.namespace === namespace && x.name === name);
    if (!d) throw new NotFoundError('deployment', name, namespace);
    return toDeploymentInfo(state, d);
  }

  async listPods(namespace: string, labelSelector?: string): Promise<PodInfo[]> {
    const terms = labelSelector ? parseSelector(labelSelector) : [];
    const state = this.core.state();
    return state.pods
      .filter((p) => p.namespace === namespace)
      .filter((p) => {
        const labels = podLabels(p);
        return terms.every((t) => (labels[t.key] === t.value) === (t.op === '='));
      })
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(toPodInfo);
  }

  async listHpas(namespace: string): Promise<HpaInfo[]> {
    return this.core
      .state()
      .hpas.filter((h) => h.namespace === namespace)
      .map(toHpaInfo);
  }

  async listResourceQuotas(namespace: string): Promise<ResourceQuotaInfo[]> {
    const state = this.core.state();
    return RESOURCE_QUOTAS.filter((q) => q.namespace === namespace)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((q) => resourceQuotaInfo(state, q));
  }

  async listNodes(): Promise<NodeInfo[]> {
    return this.core
      .state()
      .nodes.slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(toNodeInfo);
  }

  async listNodeGroups(): Promise<NodeGroupInfo[]> {
    const state = this.core.state();
    return [...NODE_GROUPS]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((g) => toNodeGroupInfo(state, g));
  }

  async listEvents(namespace?: string, involvedObjectName?: string): Promise<EventInfo[]> {
    return this.core.store.events(namespace, involvedObjectName).map(toEventInfo);
  }

  async describe(kind: DescribableKind, name: string, namespace?: string): Promise<DescribeResult> {
    return this.core.store.read(() => {
      const state = this.core.state();
      const ns = namespace ?? null;
      const events = (k: string, n: string, evNs?: string) =>
        this.core.store
          .events(evNs, n)
          .filter((e) => e.kind === k)
          .map(toEventInfo);
      switch (kind) {
        case 'namespace': {
          if (!(CLUSTER_NAMESPACES as readonly string[]).includes(name))
            throw new NotFoundError('namespace', name);
          return {
            kind,
            namespace: null,
            name,
            object: {
              apiVersion: 'v1',
              kind: 'Namespace',
              metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
              spec: { finalizers: ['kubernetes'] },
              status: { phase: 'Active' },
            },
            events: [],
          };
        }
        case 'node': {
          const n = state.nodes.find((x) => x.name === name);
          if (!n) throw new NotFoundError('node', name);
          const g = groupOf(n);
          const pods = state.pods.filter((p) => p.node === n.name);
          const cpuReq = pods.reduce((s, p) => s + SERVICES[p.service].cpuRequestMillicores, 0);
          const memReq = pods.reduce((s, p) => s + SERVICES[p.service].memRequestMiB, 0);
          return {
            kind,
            namespace: null,
            name,
            object: {
              apiVersion: 'v1',
              kind: 'Node',
              metadata: { name, labels: nodeLabels(n), creationTimestamp: iso(n.createdAtMs) },
              spec: { providerID: `aws:///${n.zone}/i-0${instanceId(n.name)}` },
              status: {
                capacity: { cpu: '2', memory: '7936Mi', pods: '29' },
                allocatable: {
                  cpu: `${g.cpuAllocatableMillicores}m`,
                  memory: `${g.memoryAllocatableMiB}Mi`,
                  pods: '29',
                },
                conditions: [
                  {
                    type: 'Ready',
                    status: n.ready ? 'True' : 'False',
                    reason: n.ready ? 'KubeletReady' : 'KubeletNotReady',
                    lastTransitionTime: iso(n.ready ? n.readyAtMs : n.createdAtMs),
                  },
                ],
                addresses: [
                  { type: 'InternalIP', address: n.ip },
                  { type: 'Hostname', address: n.name },
                ],
                nodeInfo: {
                  kubeletVersion: 'v1.31.4-eks-aeac579',
                  osImage: 'Amazon Linux 2023.6.20250203',
                  architecture: 'amd64',
                },
              },
              allocatedResources: {
                requests: { cpu: `${cpuReq}m`, memory: `${memReq}Mi` },
                nonTerminatedPods: pods.map((p) => `${p.namespace}/${p.name}`),
              },
            },
            events: events('Node', name, 'default'),
          };
        }
        case 'deployment': {
          if (!ns) throw new InvalidArgumentError('describe deployment needs a namespace');
          const d = state.deployments.find((x) => x.namespace === ns && x.name === name);
          if (!d) throw new NotFoundError('deployment', name, ns);
          const info = toDeploymentInfo(state, d);
          const spec = SERVICES[d.name];
          return {
            kind,
            namespace: ns,
            name,
            object: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: {
                name,
                namespace: ns,
                labels: info.labels,
                annotations: { 'deployment.kubernetes.io/revision': String(d.revision) },
                creationTimestamp: info.createdAt,
                generation: d.generation,
              },
              spec: {
                replicas: d.replicas,
                selector: { matchLabels: info.selector },
                strategy: {
                  type: 'RollingUpdate',
                  rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
                },
                template: {
                  metadata: {
                    labels: { app: d.name, 'app.kubernetes.io/name': d.name },
                    ...(d.restartedAt
                      ? { annotations: { 'kubectl.kubernetes.io/restartedAt': d.restartedAt } }
                      : {}),
                  },
                  spec: {
                    containers: [
                      {
                        name: d.name,
                        image: d.image,
                        ports: [{ containerPort: 8080, protocol: 'TCP' }],
                        resources: {
                          requests: resources(spec.cpuRequestMillicores, spec.memRequestMiB),
                          limits: resources(spec.cpuLimitMillicores, spec.memLimitMiB),
                        },
                        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
                      },
                    ],
                  },
                },
              },
              status: {
                observedGeneration: d.generation,
                replicas: state.pods.filter((p) => p.namespace === ns && p.service === d.name).length,
                updatedReplicas: info.updatedReplicas,
                readyReplicas: info.readyReplicas,
                availableReplicas: info.availableReplicas,
                unavailableReplicas: Math.max(0, d.replicas - info.availableReplicas),
                conditions: [
                  {
                    type: 'Available',
                    status:
                      info.availableReplicas >= d.replicas - Math.floor(d.replicas * 0.25) ? 'True' : 'False',
                    reason:
                      info.availableReplicas >= d.replicas - Math.floor(d.replicas * 0.25)
                        ? 'MinimumReplicasAvailable'
                        : 'MinimumReplicasUnavailable',
                  },
                  {
                    type: 'Progressing',
                    status: 'True',
                    reason:
                      info.updatedReplicas === d.replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
                    message: `ReplicaSet "${d.name}-${d.templateHash}" ${info.updatedReplicas === d.replicas ? 'has successfully progressed' : 'is progressing'}.`,
                  },
                ],
              },
            },
            events: events('Deployment', name, ns),
          };
        }
        case 'hpa': {
          if (!ns) throw new InvalidArgumentError('describe hpa needs a namespace');
          const h = state.hpas.find((x) => x.namespace === ns && x.name === name);
          if (!h) throw new NotFoundError('hpa', name, ns);
          return {
            kind,
            namespace: ns,
            name,
            object: {
              apiVersion: 'autoscaling/v2',
              kind: 'HorizontalPodAutoscaler',
              metadata: { name, namespace: ns, creationTimestamp: iso(h.createdAtMs) },
              spec: {
                scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: h.name },
                minReplicas: h.minReplicas,
                maxReplicas: h.maxReplicas,
                metrics: [
                  {
                    type: 'Resource',
                    resource: {
                      name: 'cpu',
                      target: { type: 'Utilization', averageUtilization: h.targetCpu },
                    },
                  },
                ],
              },
              status: {
                currentReplicas: h.currentReplicas,
                desiredReplicas: h.desiredReplicas,
                ...(h.lastScaleMs !== null ? { lastScaleTime: iso(h.lastScaleMs) } : {}),
                currentMetrics:
                  h.currentCpu === null
                    ? []
                    : [
                        {
                          type: 'Resource',
                          resource: { name: 'cpu', current: { averageUtilization: h.currentCpu } },
                        },
                      ],
                conditions: [
                  { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' },
                  {
                    type: 'ScalingActive',
                    status: h.currentCpu === null ? 'False' : 'True',
                    reason: h.currentCpu === null ? 'FailedGetResourceMetric' : 'ValidMetricFound',
                  },
                  {
                    type: 'ScalingLimited',
                    status: h.desiredReplicas >= h.maxReplicas ? 'True' : 'False',
                    reason: h.desiredReplicas >= h.maxReplicas ? 'TooManyReplicas' : 'DesiredWithinRange',
                  },
                ],
              },
            },
            events: events('HorizontalPodAutoscaler', name, ns),
          };
        }
        case 'pod': {
          if (!ns) throw new InvalidArgumentError('describe pod needs a namespace');
          const p = state.pods.find((x) => x.namespace === ns && x.name === name);
          if (!p) throw new NotFoundError('pod', name, ns);
          const spec = SERVICES[p.service];
          const info = toPodInfo(p);
          const c = info.containers[0];
          const stateObj =
            p.state === 'running'
              ? { running: { startedAt: iso(p.containerStartMs ?? p.createdAtMs) } }
              : p.state === 'terminated' && p.lastTermination
                ? {
                    terminated: {
                      reason: p.lastTermination.reason,
                      exitCode: p.lastTermination.exitCode,
                      finishedAt: iso(p.lastTermination.finishedAtMs),
                    },
                  }
                : { waiting: { reason: c?.reason ?? 'Unknown' } };
          return {
            kind,
            namespace: ns,
            name,
            object: {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: {
                name,
                namespace: ns,
                uid: podUid(p),
                labels: info.labels,
                creationTimestamp: info.createdAt,
                ownerReferences: [
                  {
                    apiVersion: 'apps/v1',
                    kind: 'ReplicaSet',
                    name: `${p.service}-${p.templateHash}`,
                    controller: true,
                  },
                ],
              },
              spec: {
                nodeName: p.node ?? undefined,
                containers: [
                  {
                    name: p.service,
                    image: p.image,
                    resources: {
                      requests: resources(spec.cpuRequestMillicores, spec.memRequestMiB),
                      limits: resources(spec.cpuLimitMillicores, spec.memLimitMiB),
                    },
                  },
                ],
              },
              status: {
                phase: info.phase,
                ...(p.node ? { hostIP: state.nodes.find((n) => n.name === p.node)?.ip } : {}),
                ...(info.startedAt ? { startTime: info.startedAt } : {}),
                conditions: [
                  {
                    type: 'PodScheduled',
                    status: p.node ? 'True' : 'False',
                    ...(p.node ? {} : { reason: 'Unschedulable' }),
                  },
                  { type: 'Ready', status: p.ready ? 'True' : 'False' },
                ],
                containerStatuses: [
                  {
                    name: p.service,
                    image: p.image,
                    ready: p.ready,
                    restartCount: p.restarts,
                    state: stateObj,
                    ...(p.lastTermination
                      ? {
                          lastState: {
                            terminated: {
                              reason: p.lastTermination.reason,
                              exitCode: p.lastTermination.exitCode,
                              startedAt: iso(p.lastTermination.startedAtMs),
                              finishedAt: iso(p.lastTermination.finishedAtMs),
                            },
                          },
                        }
                      : {}),
                  },
                ],
              },
            },
            events: events('Pod', name, ns),
          };
        }
        default:
          throw new InvalidArgumentError(`cannot describe kind ${String(kind)}`);
      }
    });
  }

  async podLogs(req: PodLogsRequest): Promise<string> {
    const r = parse(logsSchema, req, 'pod logs request');
    return this.core.store.read(() => {
      const state = this.core.state();
      const pod = state.pods.find((p) => p.namespace === r.namespace && p.name === r.pod);
      if (!pod) throw new NotFoundError('pod', r.pod, r.namespace);
      if (r.container !== undefined && r.container !== pod.service) {
        throw new InvalidArgumentError(
          `container ${r.container} is not valid for pod ${r.pod} (containers: ${pod.service})`,
        );
      }
      const instance = r.previous ? pod.restarts - 1 : pod.restarts;
      if (instance < 0)
        throw new InvalidArgumentError(
          `previous terminated container "${pod.service}" in pod "${pod.name}" not found`,
        );
      if (!r.previous && (pod.state === 'pending' || pod.state === 'creating')) return '';
      const limit = r.tailLines ?? DEFAULT_LOG_LINES;
      const spec = SERVICES[pod.service];
      const stored: TimedLine[] = this.core.store
        .storedLogs(pod.namespace, pod.name, instance)
        .map((l) => ({ timeMs: l.time_ms, line: l.line }));
      const nowMin = Math.floor(state.clockMs / 60_000);
      const fromMin = Math.floor((pod.createdAtMs - 60_000) / 60_000);
      const samples = this.core.store
        .podSamples(fromMin, nowMin, pod.namespace, pod.name)
        .filter((s) => s.restarts === instance);
      const generated: TimedLine[] = [];
      // Newest first until there are enough lines.
      for (let i = samples.length - 1; i >= 0 && generated.length < limit + 8; i--) {
        const s = samples[i];
        if (!s) continue;
        generated.push(
          ...generatedLines(state.seed, spec, pod.name, {
            minute: s.minute,
            rps: s.rps,
            errorRatio: s.error_ratio,
            p50: s.p50,
            p95: s.p95,
            memMiB: s.mem,
            flags: s.flags,
          }),
        );
      }
      const all = [...stored, ...generated].sort((a, b) => a.timeMs - b.timeMs);
      const tail = all.slice(Math.max(0, all.length - limit));
      return tail.length ? `${tail.map((l) => l.line).join('\n')}\n` : '';
    });
  }

  async scaleDeployment(namespace: string, name: string, replicas: number): Promise<ScaleResult> {
    const n = parse(scaleSchema, replicas, 'replicas (an integer from 0 to 1000)');
    return this.core.mutate((sim) => {
      const d = sim.deployment(namespace, name);
      if (!d) throw new NotFoundError('deployment', name, namespace);
      const previous = d.replicas;
      d.replicas = n;
      if (previous !== n) d.generation += 1;
      return { namespace, name, previousReplicas: previous, replicas: n };
    });
  }

  async rolloutRestart(namespace: string, name: string): Promise<RestartResult> {
    return this.core.mutate((sim) => {
      const d = sim.deployment(namespace, name);
      if (!d) throw new NotFoundError('deployment', name, namespace);
      d.restartedAt = iso(sim.now);
      sim.bumpTemplate(d);
      return { namespace, name, restartedAt: d.restartedAt };
    });
  }

  async patchHpa(
    namespace: string,
    name: string,
    patch: { minReplicas?: number; maxReplicas?: number },
  ): Promise<PatchHpaResult> {
    const p = parse(hpaPatchSchema, patch, 'HPA patch');
    return this.core.mutate((sim) => {
      const h = sim.state.hpas.find((x) => x.namespace === namespace && x.name === name);
      if (!h) throw new NotFoundError('hpa', name, namespace);
      const min = p.minReplicas ?? h.minReplicas;
      const max = p.maxReplicas ?? h.maxReplicas;
      if (min > max)
        throw new InvalidArgumentError(`minReplicas (${min}) must not exceed maxReplicas (${max})`);
      const previous = { minReplicas: h.minReplicas, maxReplicas: h.maxReplicas };
      h.minReplicas = min;
      h.maxReplicas = max;
      return { namespace, name, previous, minReplicas: min, maxReplicas: max };
    });
  }

  async deletePod(namespace: string, name: string): Promise<DeletePodResult> {
    return this.core.mutate((sim) => {
      const p = sim.state.pods.find((x) => x.namespace === namespace && x.name === name);
      if (!p) throw new NotFoundError('pod', name, namespace);
      sim.deletePod(p, 'API');
      return { namespace, name, deleted: true as const };
    });
  }
}
