import type { ServiceObservation } from './state.js';

/** What the simulation emits besides the state document; the store persists it. */
export interface NewEvent {
  namespace: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  kind: string;
  name: string;
  timeMs: number;
}

export interface PodSampleRow {
  namespace: string;
  pod: string;
  service: string;
  node: string | null;
  cpu: number;
  memMiB: number;
  rps: number;
  errorRatio: number;
  p50: number;
  p95: number;
  ready: number;
  restarts: number;
  flags: number;
}

export interface GroupSampleRow {
  nodeGroup: string;
  nodes: number;
  readyNodes: number;
  cpuRequested: number;
  cpuAllocatable: number;
  memRequested: number;
  memAllocatable: number;
}

export interface LogRow {
  namespace: string;
  pod: string;
  instance: number;
  timeMs: number;
  line: string;
}

export class SimSink {
  readonly events: NewEvent[] = [];
  readonly logs: LogRow[] = [];
  readonly serviceSamples: Array<{ minute: number; obs: ServiceObservation }> = [];
  readonly podSamples: Array<{ minute: number; rows: PodSampleRow[] }> = [];
  readonly groupSamples: Array<{ minute: number; rows: GroupSampleRow[] }> = [];

  event(e: NewEvent): void {
    this.events.push(e);
  }
  log(row: LogRow): void {
    this.logs.push(row);
  }
}
