/**
 * The metrics port: what the metrics MCP server needs. Real implementation: the Prometheus HTTP
 * API (@devops-ai/backends). Sandbox implementation: the world (@devops-ai/sandbox), which
 * answers golden signals and alerts in full and raw PromQL for a documented subset; anything
 * outside the subset throws NotAvailableError (code `not_available`).
 * Both pass `describeMetricsContract` (./testing).
 */
import type { Labels } from './cluster.js';

export interface InstantSample {
  labels: Labels;
  /** ISO time of the sample */
  time: string;
  value: number;
}

export interface RangeSeries {
  labels: Labels;
  points: Array<{ time: string; value: number }>;
}

export interface GoldenSignalsRequest {
  namespace: string;
  service: string;
  /** Window length in minutes, ending at the backend's "now" (or at `end`). */
  windowMinutes: number;
  end?: string;
}

export interface GoldenSignals {
  namespace: string;
  service: string;
  window: { start: string; end: string; minutes: number };
  /** Mean over the window. null when the backend has no data for the signal. */
  requestsPerSecond: number | null;
  /** 0..1 */
  errorRate: number | null;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  /** CPU in cores summed over the service's pods, and mean utilisation of requests (0..1+). */
  cpu: { usedCores: number | null; utilization: number | null };
  memory: { usedMiB: number | null; utilization: number | null };
  /** Available replicas at the end of the window. */
  replicas: number | null;
  /** Per-step values over the window (step chosen by the backend), for charts and reasoning. */
  series: {
    step: string;
    requestsPerSecond: Array<{ time: string; value: number }>;
    latencyP95Ms: Array<{ time: string; value: number }>;
    errorRate: Array<{ time: string; value: number }>;
    cpuUtilization: Array<{ time: string; value: number }>;
  };
}

export interface AlertInfo {
  name: string;
  /** firing | pending */
  state: string;
  severity: string | null;
  labels: Labels;
  annotations: Record<string, string>;
  activeAt: string | null;
  value: number | null;
}

export interface MetricsPort {
  readonly backend: string;
  /** The backend's current time (the sandbox clock, or wall time for Prometheus). */
  now(): Promise<string>;
  instantQuery(query: string, time?: string): Promise<InstantSample[]>;
  rangeQuery(query: string, start: string, end: string, stepSeconds: number): Promise<RangeSeries[]>;
  goldenSignals(req: GoldenSignalsRequest): Promise<GoldenSignals>;
  activeAlerts(): Promise<AlertInfo[]>;
  close?(): Promise<void>;
}
