import type { AlertInfo } from '@devops-ai/core';
import { SERVICES, type ServiceName } from './model.js';
import type { WorldState } from './state.js';
import type { ServiceSampleRow, Store } from './store.js';

/**
 * Alerting rules evaluated over the per-minute samples, Prometheus-style: a rule's condition is
 * checked at every sample minute; an alert is `pending` while the condition has held for less
 * than its `for` duration and `firing` after. `activeAt` is the first minute of the current run
 * (looking back at most LOOKBACK_MINUTES).
 */
const LOOKBACK_MINUTES = 180;

interface ServiceRule {
  name: string;
  forMinutes: number;
  severity: 'warning' | 'critical';
  value: (r: ServiceSampleRow) => number | null;
  when: (v: number, service: ServiceName) => boolean;
  summary: (ns: string, svc: string) => string;
  description: (ns: string, svc: string, v: number) => string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export const SERVICE_RULES: ServiceRule[] = [
  {
    name: 'HighLatencyP95',
    forMinutes: 5,
    severity: 'warning',
    value: (r) => r.p95 / 1000,
    when: (v, s) => v * 1000 > SERVICES[s].p95SloMs,
    summary: (ns, s) => `High p95 latency on ${ns}/${s}`,
    description: (ns, s, v) =>
      `p95 latency of ${ns}/${s} is ${(v * 1000).toFixed(0)} ms, above the ${SERVICES[s as ServiceName].p95SloMs} ms objective.`,
  },
  {
    name: 'HighErrorRate',
    forMinutes: 2,
    severity: 'critical',
    value: (r) => r.error_ratio,
    when: (v) => v > 0.05,
    summary: (ns, s) => `High error rate on ${ns}/${s}`,
    description: (ns, s, v) => `${pct(v)} of requests to ${ns}/${s} fail (threshold 5%).`,
  },
  {
    name: 'CPUBurst',
    forMinutes: 3,
    severity: 'warning',
    value: (r) => (r.cpu_requests > 0 ? r.cpu / r.cpu_requests : null),
    when: (v) => v > 0.9,
    summary: (ns, s) => `CPU burst on ${ns}/${s}`,
    description: (ns, s, v) => `Pods of ${ns}/${s} use ${pct(v)} of their CPU requests (threshold 90%).`,
  },
  {
    name: 'HPAMaxedOut',
    forMinutes: 10,
    severity: 'warning',
    value: (r) => (r.hpa_max === null ? null : r.spec_replicas),
    when: () => true,
    summary: (ns, s) => `HPA ${ns}/${s} is at its maximum replicas`,
    description: (ns, s, v) => `HPA ${ns}/${s} has run at its maxReplicas (${v}) for more than 10 minutes.`,
  },
  {
    name: 'KubeDeploymentReplicasMismatch',
    forMinutes: 15,
    severity: 'warning',
    value: (r) => r.spec_replicas - r.available_replicas,
    when: (v) => v > 0,
    summary: (ns, s) => `Deployment ${ns}/${s} has not matched the expected number of replicas`,
    description: (ns, s, v) =>
      `Deployment ${ns}/${s} has had ${v} unavailable replica(s) for more than 15 minutes.`,
  },
];

export function evaluateAlerts(store: Store, state: WorldState): AlertInfo[] {
  const nowMin = Math.floor(state.clockMs / 60_000);
  const rows = store.serviceSamples(nowMin - LOOKBACK_MINUTES, nowMin);
  const bySeries = new Map<string, ServiceSampleRow[]>();
  for (const r of rows) {
    const k = `${r.namespace}/${r.service}`;
    let list = bySeries.get(k);
    if (!list) {
      list = [];
      bySeries.set(k, list);
    }
    list.push(r);
  }
  const out: AlertInfo[] = [];
  for (const list of bySeries.values()) {
    const last = list[list.length - 1];
    if (!last || last.minute !== nowMin) continue;
    const service = last.service as ServiceName;
    if (!(service in SERVICES)) continue;
    for (const rule of SERVICE_RULES) {
      const holds = (r: ServiceSampleRow) => {
        const v = rule.value(r);
        if (v === null) return false;
        if (rule.name === 'HPAMaxedOut')
          return r.hpa_max !== null && r.spec_replicas >= r.hpa_max && (r.hpa_desired ?? 0) >= r.hpa_max;
        return rule.when(v, service);
      };
      if (!holds(last)) continue;
      let first = last;
      for (let i = list.length - 2; i >= 0; i--) {
        const r = list[i];
        if (!r || r.minute !== first.minute - 1 || !holds(r)) break;
        first = r;
      }
      const value = rule.value(last) ?? 0;
      const firing = last.minute - first.minute >= rule.forMinutes;
      out.push({
        name: rule.name,
        state: firing ? 'firing' : 'pending',
        severity: rule.severity,
        labels: { alertname: rule.name, namespace: last.namespace, service, severity: rule.severity },
        annotations: {
          summary: rule.summary(last.namespace, service),
          description: rule.description(last.namespace, service, value),
        },
        activeAt: new Date(first.minute * 60_000).toISOString(),
        value,
      });
    }
  }
  out.push(...crashLoopAlerts(store, state, nowMin));
  for (const inc of state.incidents) {
    if (inc.kind !== 'alert_annotation' || inc.status !== 'active') continue;
    out.push({
      name: 'ErrorBudgetBurn',
      state: 'firing',
      severity: 'warning',
      labels: {
        alertname: 'ErrorBudgetBurn',
        namespace: inc.namespace,
        service: inc.service,
        severity: 'warning',
      },
      annotations: {
        summary: `Error budget burn on ${inc.namespace}/${inc.service}`,
        description: inc.text ?? '',
      },
      activeAt: inc.startedAt,
      value: inc.multiplier,
    });
  }
  return out.sort(
    (a, b) =>
      a.name.localeCompare(b.name) ||
      (a.labels.namespace ?? '').localeCompare(b.labels.namespace ?? '') ||
      (a.labels.service ?? '').localeCompare(b.labels.service ?? '') ||
      (a.labels.pod ?? '').localeCompare(b.labels.pod ?? ''),
  );
}

/** PodCrashLooping: the container restarted within the last 10 minutes, for 5 minutes. */
function crashLoopAlerts(store: Store, state: WorldState, nowMin: number): AlertInfo[] {
  const out: AlertInfo[] = [];
  const rows = store.podSamples(nowMin - 60, nowMin);
  const byPod = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const k = `${r.namespace}/${r.pod}`;
    let m = byPod.get(k);
    if (!m) {
      m = new Map();
      byPod.set(k, m);
    }
    m.set(r.minute, r.restarts);
  }
  for (const pod of state.pods) {
    const series = byPod.get(`${pod.namespace}/${pod.name}`);
    if (!series) continue;
    const restartedRecently = (m: number) => {
      const now = series.get(m);
      if (now === undefined) return false;
      for (let k = 1; k <= 10; k++) {
        const v = series.get(m - k);
        if (v !== undefined && v < now) return true;
      }
      return false;
    };
    if (!restartedRecently(nowMin)) continue;
    let first = nowMin;
    while (series.has(first - 1) && restartedRecently(first - 1)) first--;
    const firing = nowMin - first >= 5;
    out.push({
      name: 'PodCrashLooping',
      state: firing ? 'firing' : 'pending',
      severity: 'warning',
      labels: {
        alertname: 'PodCrashLooping',
        namespace: pod.namespace,
        service: pod.service,
        pod: pod.name,
        container: pod.service,
        severity: 'warning',
      },
      annotations: {
        summary: `Pod ${pod.namespace}/${pod.name} is crash looping`,
        description: `Pod ${pod.namespace}/${pod.name} (${pod.service}) has restarted ${pod.restarts} time(s); last termination: ${
          pod.lastTermination?.reason ?? 'unknown'
        }.`,
      },
      activeAt: new Date(first * 60_000).toISOString(),
      value: pod.restarts,
    });
  }
  return out;
}
