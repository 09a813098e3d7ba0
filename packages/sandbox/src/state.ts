import type { NamespaceName, ServiceName } from './model.js';

/**
 * The mutable state of the world, persisted as one JSON document in SQLite (table `world`) and
 * read fresh on every call. History (per-minute samples, events, log lines) lives in tables.
 * Times are epoch milliseconds on the simulated clock.
 */
export interface WorldState {
  schema: 1;
  seed: number;
  /** mulberry32 state for call-sequence-dependent choices (pod names, delays, IPs). */
  rng: number;
  clockMs: number;
  nextIncident: number;
  deployments: DeploymentState[];
  hpas: HpaState[];
  nodes: NodeState[];
  pods: PodState[];
  incidents: Incident[];
  autoscaler: { lastScaleUpMs: number | null; lastNotTriggeredMs: number | null };
}

export interface DeploymentState {
  namespace: NamespaceName;
  name: ServiceName;
  replicas: number;
  image: string;
  restartedAt: string | null;
  /** Increments on every pod-template change (image, restart). */
  revision: number;
  templateHash: string;
  createdAtMs: number;
  generation: number;
  /**
   * While the namespace quota refuses this deployment's new pods: when the ReplicaSet last reported
   * it (a FailedCreate event, repeated at most once a minute). Absent in worlds saved before quotas.
   */
  quotaDeniedAtMs?: number;
}

export interface HpaState {
  namespace: NamespaceName;
  name: ServiceName;
  minReplicas: number;
  maxReplicas: number;
  targetCpu: number;
  currentReplicas: number;
  desiredReplicas: number;
  currentCpu: number | null;
  /** Recent recommendations [timeMs, replicas] for scale-down stabilisation. */
  recommendations: Array<[number, number]>;
  lastScaleMs: number | null;
  createdAtMs: number;
}

export interface NodeState {
  name: string;
  group: string;
  zone: string;
  ip: string;
  createdAtMs: number;
  readyAtMs: number;
  ready: boolean;
  unneededSinceMs: number | null;
}

export type PodPhaseState = 'pending' | 'creating' | 'running' | 'terminated' | 'backoff';

export interface PodState {
  namespace: NamespaceName;
  name: string;
  service: ServiceName;
  templateHash: string;
  image: string;
  /** Created from a bad_deploy image: serves errors. */
  faulty: boolean;
  node: string | null;
  createdAtMs: number;
  scheduledAtMs: number | null;
  state: PodPhaseState;
  /** creating: when the image pull finishes; backoff: when the container restarts. */
  untilMs: number | null;
  containerStartMs: number | null;
  readyAtMs: number | null;
  ready: boolean;
  restarts: number;
  lastTermination: { reason: string; exitCode: number; startedAtMs: number; finishedAtMs: number } | null;
  backoffSeconds: number;
  leakMiB: number;
  lastFailedSchedulingMs: number | null;
  pid: number;
  /** Observed at the last tick. */
  obs: PodObservation;
}

export interface PodObservation {
  rps: number;
  cpu: number;
  memMiB: number;
  errorRatio: number;
  p50: number;
  p95: number;
  p99: number;
  /** Bit flags: see FLAG_* */
  flags: number;
}

export const FLAG_FAULTY = 1;
export const FLAG_OVERLOADED = 2;
export const FLAG_DOWNSTREAM = 4;
export const FLAG_LEAKING = 8;
export const FLAG_SLOW = 16;

export type IncidentKind =
  | 'cpu_burst'
  | 'memory_leak'
  | 'bad_deploy'
  | 'log_message'
  | 'event_message'
  | 'alert_annotation';

export interface Incident {
  id: string;
  kind: IncidentKind;
  namespace: string;
  service: string;
  multiplier: number;
  durationMinutes: number;
  text: string | null;
  startedAt: string;
  endsAt: string;
  status: 'active' | 'resolved';
  /** bad_deploy: the image rolled out and the one rolled back to. */
  image?: { bad: string; previous: string };
}

/** Aggregates per (namespace, service) at one instant. */
export interface ServiceObservation {
  namespace: NamespaceName;
  service: ServiceName;
  rps: number;
  errorRatio: number;
  p50: number;
  p95: number;
  p99: number;
  cpu: number;
  cpuRequests: number;
  memMiB: number;
  memRequests: number;
  specReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  hpaCurrent: number | null;
  hpaDesired: number | null;
  hpaMin: number | null;
  hpaMax: number | null;
  hpaCpu: number | null;
}
