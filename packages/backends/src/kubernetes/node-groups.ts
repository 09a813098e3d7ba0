/**
 * Node groups for ClusterPort.listNodeGroups: the nodes grouped by their node-group label, the
 * requests of the pods bound to them, and the bounds the cluster autoscaler reports in its status
 * ConfigMap (kube-system/cluster-autoscaler-status, key `status`). Pure functions, unit-tested in
 * node-groups.test.ts against documents shaped like the autoscaler's own.
 */
import type { NodeGroupInfo, NodeInfo } from '@devops-ai/core';
import type { V1Pod } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { type PodRequests, podRequests } from './mappers.js';

export const AUTOSCALER_STATUS_NAMESPACE = 'kube-system';
export const AUTOSCALER_STATUS_CONFIGMAP = 'cluster-autoscaler-status';
export const AUTOSCALER_BOUNDS_SOURCE = 'cluster-autoscaler';
/** Pods that hold their requests on a node: every phase but the two terminal ones. */
export const NON_TERMINATED_PODS = 'status.phase!=Succeeded,status.phase!=Failed';

/** One node group as the cluster autoscaler reports it (an ASG, a MIG, ...). */
export interface AutoscalerGroup {
  /** The cloud provider's name: `eks-<nodegroup>-<uuid>` for an EKS ASG, a MIG URL on GKE. */
  name: string;
  minSize: number | null;
  maxSize: number | null;
  /** cloudProviderTarget */
  targetSize: number | null;
  ready: number | null;
  registered: number | null;
}

const countOf = (v: unknown): number | null =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;

function at(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/**
 * cluster-autoscaler ≥ 1.30 writes YAML: `nodeGroups: [{ name, health: { status, nodeCounts:
 * { registered: { total, ready, ... } }, cloudProviderTarget, minSize, maxSize } }]`.
 * undefined when the text is not such a document.
 */
function fromYaml(text: string): AutoscalerGroup[] | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return undefined;
  }
  const groups = at(doc, 'nodeGroups');
  if (groups === undefined || groups === null) {
    // `autoscalerStatus: Initializing`: the autoscaler knows no group yet
    return at(doc, 'autoscalerStatus') !== undefined ? [] : undefined;
  }
  if (!Array.isArray(groups)) return undefined;
  const out: AutoscalerGroup[] = [];
  for (const g of groups) {
    const name = at(g, 'name');
    if (typeof name !== 'string' || name.length === 0) continue;
    const health = at(g, 'health');
    out.push({
      name,
      minSize: countOf(at(health, 'minSize')),
      maxSize: countOf(at(health, 'maxSize')),
      targetSize: countOf(at(health, 'cloudProviderTarget')),
      ready: countOf(at(health, 'nodeCounts', 'registered', 'ready')),
      registered: countOf(at(health, 'nodeCounts', 'registered', 'total')),
    });
  }
  return out;
}

/**
 * Before 1.30 the status was text, one block per group after `NodeGroups:`:
 * `  Name:        eks-general-…` then `  Health:      Healthy (ready=3 unready=0 … registered=3
 * longUnregistered=0 cloudProviderTarget=3 (minSize=3, maxSize=6))`. Versions differ in the
 * counters they print (`unready=0 (resourceUnready=0)`, `longNotStarted`), so each is read by name.
 */
function fromLegacyText(text: string): AutoscalerGroup[] {
  const section = /^NodeGroups:[ \t]*$/m.exec(text);
  if (!section) return [];
  const lines = text.slice(section.index + section[0].length).split('\n');
  const out: AutoscalerGroup[] = [];
  let current: AutoscalerGroup | undefined;
  for (const line of lines) {
    const name = /^\s+Name:\s+(\S+)\s*$/.exec(line);
    if (name) {
      current = {
        name: name[1] ?? '',
        minSize: null,
        maxSize: null,
        targetSize: null,
        ready: null,
        registered: null,
      };
      out.push(current);
      continue;
    }
    const health = /^\s+Health:\s+\S+\s*\((.*)\)\s*$/.exec(line);
    if (health && current) {
      const msg = health[1] ?? '';
      // `ready=` must not match inside `unready=` or `resourceUnready=`
      const num = (key: string): number | null => {
        const m = new RegExp(`(?:^|[\\s(,])${key}=(\\d+)`).exec(msg);
        return m ? countOf(Number(m[1])) : null;
      };
      current.ready = num('ready');
      current.registered = num('registered');
      current.targetSize = num('cloudProviderTarget');
      current.minSize = num('minSize');
      current.maxSize = num('maxSize');
    }
  }
  return out;
}

/**
 * The node groups in the autoscaler's status text, in either format it has had. Text that is
 * neither (garbage, a truncated write, `Initializing`) gives no groups: bounds are then unknown,
 * never an error.
 */
export function parseAutoscalerStatus(text: string): AutoscalerGroup[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  return fromYaml(text) ?? fromLegacyText(text);
}

/**
 * Whether an autoscaler group is the node group its nodes label `label`: the same name, or the name
 * containing the label as a whole run of `-`/`/`-delimited segments (EKS: `eks-<nodegroup>-<uuid>`;
 * GKE: `…/instanceGroups/gke-<cluster>-<pool>-<hash>-grp`).
 */
export function autoscalerGroupMatches(autoscalerName: string, label: string): boolean {
  if (label.length === 0) return false;
  if (autoscalerName === label) return true;
  const delimiter = (c: string | undefined) => c === undefined || c === '-' || c === '/';
  for (let i = autoscalerName.indexOf(label); i >= 0; i = autoscalerName.indexOf(label, i + 1)) {
    if (
      delimiter(i === 0 ? undefined : autoscalerName[i - 1]) &&
      delimiter(autoscalerName[i + label.length])
    ) {
      return true;
    }
  }
  return false;
}

/** Effective requests summed per node, over the pods bound to one and not Succeeded or Failed. */
export function requestsByNode(pods: readonly V1Pod[]): Map<string, PodRequests> {
  const out = new Map<string, PodRequests>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    if (!node || phase === 'Succeeded' || phase === 'Failed') continue;
    const r = podRequests(pod);
    const sum = out.get(node) ?? { cpuMillicores: 0, memoryBytes: 0 };
    out.set(node, {
      cpuMillicores: sum.cpuMillicores + r.cpuMillicores,
      memoryBytes: sum.memoryBytes + r.memoryBytes,
    });
  }
  return out;
}

/** The lower middle value: for an even count still a real node's, never above half of them. */
function lowerMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

/** Sum over the groups an autoscaler reports for one label (GKE: one MIG per zone); unknown if any is. */
function sumOf(groups: AutoscalerGroup[], key: 'minSize' | 'maxSize' | 'targetSize'): number | null {
  let total = 0;
  for (const g of groups) {
    const v = g[key];
    if (v === null) return null;
    total += v;
  }
  return total;
}

/**
 * The node groups: one per node-group label (nodes without one form no group), with the bounds of
 * the autoscaler groups that match it (summed when several do, as a GKE node pool has one MIG per
 * zone; the longest matching label wins an autoscaler group), plus each autoscaler group that
 * matches no label, counted from its own ready/registered numbers. `requested` null: the pods could
 * not be listed. Sorted by name.
 */
export function buildNodeGroups(
  nodes: readonly NodeInfo[],
  requested: ReadonlyMap<string, PodRequests> | null,
  autoscaler: readonly AutoscalerGroup[],
): NodeGroupInfo[] {
  const byLabel = new Map<string, NodeInfo[]>();
  for (const n of nodes) {
    if (!n.nodeGroup) continue;
    byLabel.set(n.nodeGroup, [...(byLabel.get(n.nodeGroup) ?? []), n]);
  }
  const labels = [...byLabel.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const matched = new Map<string, AutoscalerGroup[]>();
  const unmatched: AutoscalerGroup[] = [];
  for (const g of autoscaler) {
    const label = labels.find((l) => autoscalerGroupMatches(g.name, l));
    if (label === undefined) unmatched.push(g);
    else matched.set(label, [...(matched.get(label) ?? []), g]);
  }

  const out: NodeGroupInfo[] = [];
  for (const [label, members] of byLabel) {
    const ready = members.filter((n) => n.ready);
    const bounds = matched.get(label) ?? [];
    let cpuRequested: number | null = null;
    let memoryRequestedBytes: number | null = null;
    if (requested) {
      cpuRequested = 0;
      memoryRequestedBytes = 0;
      for (const n of ready) {
        const r = requested.get(n.name);
        cpuRequested += r?.cpuMillicores ?? 0;
        memoryRequestedBytes += r?.memoryBytes ?? 0;
      }
    }
    out.push({
      name: label,
      boundsSource: bounds.length > 0 ? AUTOSCALER_BOUNDS_SOURCE : null,
      minSize: bounds.length > 0 ? sumOf(bounds, 'minSize') : null,
      maxSize: bounds.length > 0 ? sumOf(bounds, 'maxSize') : null,
      targetSize: bounds.length > 0 ? sumOf(bounds, 'targetSize') : null,
      nodes: members.length,
      readyNodes: ready.length,
      cpuAllocatableMillicores: ready.reduce((s, n) => s + n.cpuAllocatableMillicores, 0),
      memoryAllocatableMiB: ready.reduce((s, n) => s + n.memoryAllocatableMiB, 0),
      cpuRequestedMillicores: cpuRequested,
      // requests round up to whole MiB: the room left is never overstated
      memoryRequestedMiB: memoryRequestedBytes === null ? null : Math.ceil(memoryRequestedBytes / 2 ** 20),
      nodeCpuAllocatableMillicores: lowerMedian(members.map((n) => n.cpuAllocatableMillicores)),
      nodeMemoryAllocatableMiB: lowerMedian(members.map((n) => n.memoryAllocatableMiB)),
    });
  }
  for (const g of unmatched) {
    out.push({
      name: g.name,
      boundsSource: AUTOSCALER_BOUNDS_SOURCE,
      minSize: g.minSize,
      maxSize: g.maxSize,
      targetSize: g.targetSize,
      // none of its nodes carries a label we know: what the autoscaler itself counts
      nodes: g.registered ?? 0,
      readyNodes: Math.min(g.ready ?? 0, g.registered ?? 0),
      cpuAllocatableMillicores: 0,
      memoryAllocatableMiB: 0,
      cpuRequestedMillicores: requested ? 0 : null,
      memoryRequestedMiB: requested ? 0 : null,
      nodeCpuAllocatableMillicores: null,
      nodeMemoryAllocatableMiB: null,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
