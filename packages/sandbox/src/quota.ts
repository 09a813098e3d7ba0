/**
 * ResourceQuota accounting and admission for the sandbox, as Kubernetes' quota controller and
 * admission plugin do it: `used` is the sum over the namespace's pods that are not Succeeded or
 * Failed (in the sandbox every pod: a terminated container restarts in place), and a pod whose
 * creation would take any limited resource past its hard limit is refused.
 *
 * Sums are kept in integer units (millicores, MiB, pods) so no float drift decides an admission.
 */
import type { ResourceQuotaInfo } from '@devops-ai/core';
import {
  type QuotaResource,
  RESOURCE_QUOTAS,
  type ResourceQuotaSpec,
  SERVICES,
  type ServiceName,
  type ServiceSpec,
} from './model.js';
import type { WorldState } from './state.js';

type Units = Record<QuotaResource, number>;

const MiB = 2 ** 20;

/** What one pod of the service takes from each quota resource, in integer units. */
function podUnits(s: ServiceSpec): Units {
  return {
    pods: 1,
    'requests.cpu': s.cpuRequestMillicores,
    'limits.cpu': s.cpuLimitMillicores,
    'requests.memory': s.memRequestMiB,
    'limits.memory': s.memLimitMiB,
  };
}

function namespaceUnits(state: WorldState, namespace: string): Units {
  const used: Units = {
    pods: 0,
    'requests.cpu': 0,
    'limits.cpu': 0,
    'requests.memory': 0,
    'limits.memory': 0,
  };
  for (const p of state.pods) {
    if (p.namespace !== namespace) continue;
    const one = podUnits(SERVICES[p.service]);
    for (const r of Object.keys(used) as QuotaResource[]) used[r] += one[r];
  }
  return used;
}

const isCpu = (r: QuotaResource) => r.endsWith('.cpu');
const isMemory = (r: QuotaResource) => r.endsWith('.memory');

/** A hard limit (cores, bytes, pods) in integer units, rounded down: a fraction of a unit admits nothing. */
function hardUnits(r: QuotaResource, v: number): number {
  return Math.floor(isCpu(r) ? v * 1000 + 1e-9 : isMemory(r) ? v / MiB + 1e-9 : v + 1e-9);
}

/** A quantity as Kubernetes prints it in a quota message: `250m`, `512Mi`, `26`. */
function quantity(r: QuotaResource, units: number): string {
  return isCpu(r) ? `${units}m` : isMemory(r) ? `${units}Mi` : String(units);
}

/** A quota with `used` summed over the namespace's pods now, for the resources it limits. */
export function resourceQuotaInfo(state: WorldState, q: ResourceQuotaSpec): ResourceQuotaInfo {
  const used = namespaceUnits(state, q.namespace);
  const hard: Record<string, number> = {};
  const usedOut: Record<string, number> = {};
  for (const [r, limit] of Object.entries(q.hard) as Array<[QuotaResource, number]>) {
    hard[r] = limit;
    usedOut[r] = isCpu(r) ? used[r] / 1000 : isMemory(r) ? used[r] * MiB : used[r];
  }
  return { namespace: q.namespace, name: q.name, hard, used: usedOut };
}

/**
 * Why a new pod of `service` in `namespace` is forbidden now, in Kubernetes' words (`exceeded quota:
 * prod-quota, requested: pods=1, used: pods=26, limited: pods=26`), or null when every quota admits it.
 */
export function quotaDenial(state: WorldState, namespace: string, service: ServiceName): string | null {
  const quotas = RESOURCE_QUOTAS.filter((q) => q.namespace === namespace);
  if (quotas.length === 0) return null;
  const used = namespaceUnits(state, namespace);
  const one = podUnits(SERVICES[service]);
  for (const q of quotas) {
    const over = (Object.entries(q.hard) as Array<[QuotaResource, number]>)
      .map(([r, v]) => ({ r, limit: hardUnits(r, v) }))
      .filter(({ r, limit }) => used[r] + one[r] > limit);
    if (over.length === 0) continue;
    const list = (f: (o: { r: QuotaResource; limit: number }) => number) =>
      over.map((o) => `${o.r}=${quantity(o.r, f(o))}`).join(',');
    return `exceeded quota: ${q.name}, requested: ${list((o) => one[o.r])}, used: ${list((o) => used[o.r])}, limited: ${list((o) => o.limit)}`;
  }
  return null;
}
