/**
 * The cluster port: what the k8s MCP server needs from a Kubernetes cluster.
 * Two implementations: the real one (@kubernetes/client-node, in @devops-ai/backends) and the
 * sandbox world (@devops-ai/sandbox). Both pass `describeClusterContract` (./testing).
 *
 * Times are ISO-8601 strings in UTC. Not-found objects throw NotFoundError (code `not_found`).
 */

export type Labels = Record<string, string>;

export interface NamespaceInfo {
  name: string;
  status: string; // Active | Terminating
  labels: Labels;
}

export interface DeploymentInfo {
  namespace: string;
  name: string;
  /** spec.replicas */
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  images: string[];
  labels: Labels;
  /** spec.selector.matchLabels */
  selector: Labels;
  /** annotation kubectl.kubernetes.io/restartedAt on the pod template, if any */
  restartedAt: string | null;
  createdAt: string;
}

export interface ContainerStatusInfo {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  /** running | waiting | terminated */
  state: string;
  /** e.g. CrashLoopBackOff, ContainerCreating (waiting) or OOMKilled, Error (terminated) */
  reason: string | null;
  lastTerminationReason: string | null;
}

export interface PodInfo {
  namespace: string;
  name: string;
  /** Pending | Running | Succeeded | Failed | Unknown */
  phase: string;
  /** What `kubectl get pods` shows in STATUS: Running, CrashLoopBackOff, OOMKilled, Pending, ... */
  status: string;
  ready: boolean;
  restarts: number;
  node: string | null;
  labels: Labels;
  /** Owning deployment when it can be derived (ReplicaSet owner name minus hash). */
  deployment: string | null;
  containers: ContainerStatusInfo[];
  startedAt: string | null;
  createdAt: string;
}

export interface HpaInfo {
  namespace: string;
  name: string;
  target: { kind: string; name: string };
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU utilisation in percent of requests, null if the HPA has no CPU metric. */
  targetCpuUtilization: number | null;
  currentCpuUtilization: number | null;
  currentReplicas: number;
  desiredReplicas: number;
}

export interface ResourceQuotaInfo {
  namespace: string;
  name: string;
  /** status.hard (falling back to spec.hard) and status.used per resource name as Kubernetes spells it
   * (`pods`, `requests.cpu`, `limits.cpu`, `requests.memory`, `count/deployments.apps`, ...), as numbers:
   * CPU in cores, memory/storage in bytes, counts as counts (Kubernetes quantities parsed). */
  hard: Record<string, number>;
  used: Record<string, number>;
}

export interface NodeInfo {
  name: string;
  ready: boolean;
  /** eks.amazonaws.com/nodegroup, cloud.google.com/gke-nodepool or the sandbox node group */
  nodeGroup: string | null;
  instanceType: string | null;
  /** on-demand | spot, null if unknown */
  capacityType: string | null;
  zone: string | null;
  /** USD per hour when the backend knows it (sandbox does; real clusters: null) */
  hourlyPrice: number | null;
  cpuAllocatableMillicores: number;
  memoryAllocatableMiB: number;
  labels: Labels;
  createdAt: string;
}

/**
 * A node group (EKS managed node group, GKE node pool, Karpenter NodePool, sandbox group) with its
 * autoscaler bounds and the room left on its nodes today. Nodes without a group label
 * (`NodeInfo.nodeGroup` null) form no group.
 */
export interface NodeGroupInfo {
  /** The node group as the nodes label it (NodeInfo.nodeGroup), or the autoscaler's name for a group with no node yet. */
  name: string;
  /** Where minSize/maxSize/targetSize come from: 'cluster-autoscaler' (its status ConfigMap), 'sandbox', or null when nothing reports them. */
  boundsSource: string | null;
  minSize: number | null;
  maxSize: number | null;
  /** The autoscaler's current target size (cloudProviderTarget). */
  targetSize: number | null;
  /** Nodes carrying this group's label now. */
  nodes: number;
  readyNodes: number;
  /** Sums over the group's ready nodes. */
  cpuAllocatableMillicores: number;
  memoryAllocatableMiB: number;
  /**
   * Requests of the pods bound to the group's ready nodes that are not Succeeded/Failed (as
   * `kubectl describe node`'s "Allocated resources"); null when the pods cannot be listed. Per pod the
   * effective request is max(sum over containers, largest init container) + pod overhead, as the
   * scheduler counts it (sidecar init containers, restartPolicy Always, add to both sides).
   */
  cpuRequestedMillicores: number | null;
  memoryRequestedMiB: number | null;
  /**
   * One node's allocatable: the median over the group's nodes (the lower middle value for an even
   * count, so always a real node's). For a group with no node, null unless the backend knows its
   * instance shape (the sandbox does).
   */
  nodeCpuAllocatableMillicores: number | null;
  nodeMemoryAllocatableMiB: number | null;
}

export interface EventInfo {
  namespace: string;
  /** Normal | Warning */
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
}

export type DescribableKind = 'deployment' | 'pod' | 'hpa' | 'node' | 'namespace';

export interface DescribeResult {
  kind: DescribableKind;
  namespace: string | null;
  name: string;
  /** The object in Kubernetes' wire shape (apiVersion, kind, metadata, spec, status). */
  object: Record<string, unknown>;
  events: EventInfo[];
}

export interface PodLogsRequest {
  namespace: string;
  pod: string;
  container?: string;
  tailLines?: number;
  previous?: boolean;
}

export interface ScaleResult {
  namespace: string;
  name: string;
  previousReplicas: number;
  replicas: number;
}

export interface RestartResult {
  namespace: string;
  name: string;
  restartedAt: string;
}

export interface PatchHpaResult {
  namespace: string;
  name: string;
  previous: { minReplicas: number; maxReplicas: number };
  minReplicas: number;
  maxReplicas: number;
}

export interface DeletePodResult {
  namespace: string;
  name: string;
  deleted: true;
}

export interface ClusterPort {
  /** Human name of the backend, e.g. `sandbox` or `kubernetes (context prod-eu)`. */
  readonly backend: string;
  listNamespaces(): Promise<NamespaceInfo[]>;
  listDeployments(namespace: string): Promise<DeploymentInfo[]>;
  getDeployment(namespace: string, name: string): Promise<DeploymentInfo>;
  /** `labelSelector` in Kubernetes syntax, equality terms only (`app=checkout-api,tier=web`). */
  listPods(namespace: string, labelSelector?: string): Promise<PodInfo[]>;
  listHpas(namespace: string): Promise<HpaInfo[]>;
  /** Sorted by name. A namespace that does not exist has none (an empty list, like `listHpas`). */
  listResourceQuotas(namespace: string): Promise<ResourceQuotaInfo[]>;
  listNodes(): Promise<NodeInfo[]>;
  /**
   * Node groups sorted by name, with autoscaler bounds where something reports them. Nodes without a
   * group label form no group; an autoscaler group that matches no node's label is still listed.
   */
  listNodeGroups(): Promise<NodeGroupInfo[]>;
  /** Most recent last. `namespace` undefined means all namespaces. */
  listEvents(namespace?: string, involvedObjectName?: string): Promise<EventInfo[]>;
  describe(kind: DescribableKind, name: string, namespace?: string): Promise<DescribeResult>;
  podLogs(req: PodLogsRequest): Promise<string>;

  scaleDeployment(namespace: string, name: string, replicas: number): Promise<ScaleResult>;
  rolloutRestart(namespace: string, name: string): Promise<RestartResult>;
  patchHpa(
    namespace: string,
    name: string,
    patch: { minReplicas?: number; maxReplicas?: number },
  ): Promise<PatchHpaResult>;
  deletePod(namespace: string, name: string): Promise<DeletePodResult>;

  close?(): Promise<void>;
}
