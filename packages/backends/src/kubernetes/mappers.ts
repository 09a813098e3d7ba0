/**
 * Kubernetes objects (as deserialised by @kubernetes/client-node) → the ClusterPort types.
 * Pure functions: every rule here is unit-tested in mappers.test.ts against recorded objects.
 */
import type {
  ContainerStatusInfo,
  DeploymentInfo,
  EventInfo,
  HpaInfo,
  Labels,
  NamespaceInfo,
  NodeInfo,
  PodInfo,
  ResourceQuotaInfo,
} from '@devops-ai/core';
import { bytesToMiB, cpuToMillicores, memoryToBytes, parseQuantity } from '@devops-ai/core';
import type {
  CoreV1Event,
  V1ContainerStatus,
  V1Deployment,
  V1Namespace,
  V1Node,
  V1Pod,
  V1ResourceQuota,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
const EPOCH = new Date(0).toISOString();

/** Dates arrive as `Date` from the client's deserialiser, as strings from raw JSON. */
export function toIso(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  const t = d instanceof Date ? d.getTime() : Date.parse(d);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function labelsOf(labels: Record<string, string> | undefined): Labels {
  return { ...(labels ?? {}) };
}

export function mapNamespace(ns: V1Namespace): NamespaceInfo {
  return {
    name: ns.metadata?.name ?? '',
    status: ns.status?.phase ?? 'Active',
    labels: labelsOf(ns.metadata?.labels),
  };
}

export function mapDeployment(d: V1Deployment): DeploymentInfo {
  const containers = d.spec?.template?.spec?.containers ?? [];
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    // spec.replicas defaults to 1 when unset (apps/v1 defaulting)
    replicas: d.spec?.replicas ?? 1,
    readyReplicas: d.status?.readyReplicas ?? 0,
    availableReplicas: d.status?.availableReplicas ?? 0,
    updatedReplicas: d.status?.updatedReplicas ?? 0,
    images: containers.map((c) => c.image ?? '').filter((i) => i.length > 0),
    labels: labelsOf(d.metadata?.labels),
    selector: labelsOf(d.spec?.selector?.matchLabels),
    restartedAt: d.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] ?? null,
    createdAt: toIso(d.metadata?.creationTimestamp) ?? EPOCH,
  };
}

// ---------------------------------------------------------------------------------------------
// Pods

function mapContainerStatus(cs: V1ContainerStatus): ContainerStatusInfo {
  const st = cs.state;
  let state = 'waiting';
  let reason: string | null = null;
  if (st?.running) state = 'running';
  else if (st?.terminated) {
    state = 'terminated';
    reason = st.terminated.reason || null;
  } else if (st?.waiting) {
    state = 'waiting';
    reason = st.waiting.reason || null;
  }
  return {
    name: cs.name,
    image: cs.image,
    ready: cs.ready,
    restartCount: cs.restartCount ?? 0,
    state,
    reason,
    lastTerminationReason: cs.lastState?.terminated?.reason || null,
  };
}

function conditionTrue(pod: V1Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** The node lifecycle controller's reason for pods on an unreachable node. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/**
 * What `kubectl get pods` prints in STATUS. A port of `printPod` in
 * kubernetes/pkg/printers/internalversion/printers.go (init containers, sidecars, waiting and
 * terminated reasons, Completed-with-running-containers, Terminating, Unknown).
 */
export function podDisplayStatus(pod: V1Pod): string {
  const phase = pod.status?.phase ?? 'Unknown';
  let reason: string = pod.status?.reason || phase;

  // Scheduling gates keep a pod Pending with a dedicated status.
  if (
    (pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')
  ) {
    reason = 'SchedulingGated';
  }

  const initSpecs = pod.spec?.initContainers ?? [];
  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    if (!c) continue;
    const spec = initSpecs.find((s) => s.name === c.name);
    const isSidecar = spec?.restartPolicy === 'Always';
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    if (isSidecar && c.started) continue;
    if (t) {
      if (!t.reason) reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
      else reason = `Init:${t.reason}`;
    } else if (w?.reason && w.reason !== 'PodInitializing') {
      reason = `Init:${w.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    let hasRunning = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      if (!c) continue;
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (pod.status?.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }
  return reason;
}

/**
 * The deployment that owns a pod: the owning ReplicaSet's name minus `-<pod-template-hash>`.
 * Without an owner reference (trimmed recordings, orphaned pods) the pod name is used with the
 * `pod-template-hash` label (`<deployment>-<hash>-<suffix>`). Pods of StatefulSets, DaemonSets and
 * Jobs have no deployment.
 */
export function podDeployment(pod: V1Pod): string | null {
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  const owners = pod.metadata?.ownerReferences ?? [];
  const rs = owners.find((o) => o.kind === 'ReplicaSet');
  if (rs) {
    if (hash && rs.name.endsWith(`-${hash}`)) return rs.name.slice(0, -(hash.length + 1));
    // ReplicaSets created by a Deployment are named <deployment>-<hash>, the hash drawn from
    // Kubernetes' SafeEncodeString alphabet (no vowels, no 0/1/3).
    const m = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5,10}$/.exec(rs.name);
    return m?.[1] ?? null;
  }
  if (owners.length === 0 && hash) {
    const name = pod.metadata?.name ?? '';
    const at = name.lastIndexOf(`-${hash}-`);
    if (at > 0) return name.slice(0, at);
  }
  return null;
}

export function mapPod(pod: V1Pod): PodInfo {
  const containers = (pod.status?.containerStatuses ?? []).map(mapContainerStatus);
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    status: podDisplayStatus(pod),
    ready: conditionTrue(pod, 'Ready'),
    restarts: containers.reduce((n, c) => n + c.restartCount, 0),
    node: pod.spec?.nodeName ?? null,
    labels: labelsOf(pod.metadata?.labels),
    deployment: podDeployment(pod),
    containers,
    startedAt: toIso(pod.status?.startTime),
    createdAt: toIso(pod.metadata?.creationTimestamp) ?? EPOCH,
  };
}

// ---------------------------------------------------------------------------------------------
// Pod requests, as the scheduler counts them

export interface PodRequests {
  cpuMillicores: number;
  memoryBytes: number;
}

/** A request the API server accepted always parses; should one not, it counts as none rather than failing the list. */
function requestOf(
  requests: Record<string, string> | undefined,
  parse: (q: string) => number,
  key: string,
): number {
  const q = requests?.[key];
  if (typeof q !== 'string') return 0;
  try {
    const v = parse(q);
    return Number.isFinite(v) && v > 0 ? v : 0;
  } catch {
    return 0;
  }
}

function requestsOf(requests: Record<string, string> | undefined): PodRequests {
  return {
    cpuMillicores: requestOf(requests, cpuToMillicores, 'cpu'),
    memoryBytes: requestOf(requests, memoryToBytes, 'memory'),
  };
}

const maxOf = (a: PodRequests, b: PodRequests): PodRequests => ({
  cpuMillicores: Math.max(a.cpuMillicores, b.cpuMillicores),
  memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
});
const plus = (a: PodRequests, b: PodRequests): PodRequests => ({
  cpuMillicores: a.cpuMillicores + b.cpuMillicores,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});

/**
 * A pod's effective CPU and memory request as the scheduler and `kubectl describe node` count it
 * (a port of `PodRequests` in k8s.io/component-helpers/resource): max(sum over the containers,
 * the largest init container) + `spec.overhead`, per resource. Sidecars (init containers with
 * restartPolicy Always) keep running: each adds to the containers' sum and to every init
 * container started after it.
 */
export function podRequests(pod: V1Pod): PodRequests {
  const zero: PodRequests = { cpuMillicores: 0, memoryBytes: 0 };
  let reqs = (pod.spec?.containers ?? []).map((c) => requestsOf(c.resources?.requests)).reduce(plus, zero);
  let sidecars = zero;
  let init = zero;
  for (const c of pod.spec?.initContainers ?? []) {
    const own = requestsOf(c.resources?.requests);
    if (c.restartPolicy === 'Always') {
      reqs = plus(reqs, own);
      sidecars = plus(sidecars, own);
      init = maxOf(init, sidecars);
    } else {
      init = maxOf(init, plus(own, sidecars));
    }
  }
  return plus(maxOf(reqs, init), requestsOf(pod.spec?.overhead));
}

// ---------------------------------------------------------------------------------------------
// HPAs (autoscaling/v2)

export function mapHpa(h: V2HorizontalPodAutoscaler): HpaInfo {
  const cpuSpec = (h.spec?.metrics ?? []).find(
    (m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization',
  );
  const cpuNow = (h.status?.currentMetrics ?? []).find(
    (m) => m.type === 'Resource' && m.resource?.name === 'cpu',
  );
  return {
    namespace: h.metadata?.namespace ?? '',
    name: h.metadata?.name ?? '',
    target: { kind: h.spec?.scaleTargetRef.kind ?? '', name: h.spec?.scaleTargetRef.name ?? '' },
    // autoscaling/v2 defaults minReplicas to 1
    minReplicas: h.spec?.minReplicas ?? 1,
    maxReplicas: h.spec?.maxReplicas ?? 0,
    targetCpuUtilization: cpuSpec?.resource?.target.averageUtilization ?? null,
    currentCpuUtilization: cpuNow?.resource?.current.averageUtilization ?? null,
    currentReplicas: h.status?.currentReplicas ?? 0,
    desiredReplicas: h.status?.desiredReplicas ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// ResourceQuotas (core/v1)

/**
 * Resource name → quantity in base units (cores, bytes, counts). An entry whose quantity does not
 * parse (or parses to a non-finite number) is left out: one odd value must not fail the whole list.
 */
export function quotaQuantities(raw: Record<string, string> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [resource, q] of Object.entries(raw ?? {})) {
    if (typeof q !== 'string') continue;
    let v: number;
    try {
      v = parseQuantity(q);
    } catch {
      continue;
    }
    if (Number.isFinite(v)) out[resource] = v;
  }
  return out;
}

export function mapResourceQuota(q: V1ResourceQuota): ResourceQuotaInfo {
  return {
    namespace: q.metadata?.namespace ?? '',
    name: q.metadata?.name ?? '',
    // status.hard is what admission enforces; a quota the controller has not synced yet has only spec.hard.
    hard: quotaQuantities(q.status?.hard ?? q.spec?.hard),
    used: quotaQuantities(q.status?.used),
  };
}

// ---------------------------------------------------------------------------------------------
// Nodes

const NODE_GROUP_LABELS = [
  'eks.amazonaws.com/nodegroup',
  'cloud.google.com/gke-nodepool',
  'karpenter.sh/nodepool',
  'karpenter.sh/provisioner-name', // Karpenter < v0.32
  'kubernetes.azure.com/agentpool',
] as const;

function normaliseCapacity(v: string): string | null {
  const s = v.toLowerCase().replace(/_/g, '-');
  if (s === 'spot' || s === 'preemptible') return 'spot';
  if (s === 'on-demand' || s === 'ondemand' || s === 'regular') return 'on-demand';
  return s.length > 0 ? s : null; // e.g. Karpenter's `reserved`
}

export function nodeCapacityType(labels: Labels): string | null {
  const eks = labels['eks.amazonaws.com/capacityType']; // ON_DEMAND | SPOT
  if (eks) return normaliseCapacity(eks);
  const karpenter = labels['karpenter.sh/capacity-type']; // on-demand | spot | reserved
  if (karpenter) return normaliseCapacity(karpenter);
  if (
    labels['cloud.google.com/gke-spot'] === 'true' ||
    labels['cloud.google.com/gke-preemptible'] === 'true'
  ) {
    return 'spot';
  }
  const aks = labels['kubernetes.azure.com/scalesetpriority']; // spot | regular
  if (aks) return normaliseCapacity(aks);
  // A GKE node pool without a spot/preemptible label is standard (on-demand) capacity.
  if (labels['cloud.google.com/gke-nodepool']) return 'on-demand';
  return null;
}

export function mapNode(n: V1Node): NodeInfo {
  const labels = labelsOf(n.metadata?.labels);
  const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
  const group = NODE_GROUP_LABELS.map((k) => labels[k]).find((v) => v !== undefined && v !== '');
  return {
    name: n.metadata?.name ?? '',
    ready: (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    nodeGroup: group ?? null,
    instanceType:
      labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'] ?? null,
    capacityType: nodeCapacityType(labels),
    zone: labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? null,
    hourlyPrice: null,
    cpuAllocatableMillicores: alloc.cpu ? cpuToMillicores(alloc.cpu) : 0,
    memoryAllocatableMiB: alloc.memory ? Math.floor(bytesToMiB(memoryToBytes(alloc.memory))) : 0,
    labels,
    createdAt: toIso(n.metadata?.creationTimestamp) ?? EPOCH,
  };
}

// ---------------------------------------------------------------------------------------------
// Events (core/v1)

export function mapEvent(e: CoreV1Event): EventInfo {
  // Events written through events.k8s.io/v1 carry eventTime/series and leave the legacy fields empty.
  const created = toIso(e.metadata?.creationTimestamp);
  const first = toIso(e.firstTimestamp) ?? toIso(e.eventTime) ?? created ?? EPOCH;
  const last = toIso(e.lastTimestamp) ?? toIso(e.series?.lastObservedTime) ?? toIso(e.eventTime) ?? first;
  return {
    namespace: e.metadata?.namespace ?? e.involvedObject.namespace ?? '',
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    involvedObject: { kind: e.involvedObject.kind ?? '', name: e.involvedObject.name ?? '' },
    count: e.count ?? e.series?.count ?? 1,
    firstTimestamp: first,
    lastTimestamp: last,
  };
}

/** Oldest first, most recent last (ClusterPort.listEvents). */
export function sortEvents(events: EventInfo[]): EventInfo[] {
  return [...events].sort(
    (a, b) => Date.parse(a.lastTimestamp) - Date.parse(b.lastTimestamp) || a.reason.localeCompare(b.reason),
  );
}
