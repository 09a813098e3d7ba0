import type { ToolGateway } from '@devops-ai/graphs';
import type { EventBus } from '../events.js';

interface Deployment {
  namespace: string;
  name: string;
  replicas: number;
}
interface Node {
  name: string;
  nodeGroup: string | null;
}

/**
 * Notices scale-outs and new nodes by reading the cluster through the k8s MCP tools (the host's own
 * reads, not a user's: they are not audited) and emits `cluster.scaled` / `cluster.node_added`.
 * The first read is the baseline; nothing is emitted for it.
 */
export function createClusterWatch(deps: {
  gateway: Pick<ToolGateway, 'call' | 'find'>;
  events: EventBus;
  /** Most recent executed approvals, to say why a deployment changed. */
  recentChange?: (namespace: string, name: string) => string | undefined;
}) {
  let replicas: Map<string, number> | undefined;
  let nodes: Set<string> | undefined;

  async function poll(): Promise<void> {
    for (const tool of ['k8s_list_namespaces', 'k8s_list_deployments', 'k8s_list_nodes'])
      if (!deps.gateway.find(tool)) return;
    const ns = await deps.gateway.call('k8s_list_namespaces', {});
    const names = ns.ok
      ? ((ns.data as { namespaces?: Array<{ name: string }> }).namespaces ?? []).map((x) => x.name)
      : [];
    const [n, ...ds] = await Promise.all([
      deps.gateway.call('k8s_list_nodes', {}),
      ...names.map((namespace) => deps.gateway.call('k8s_list_deployments', { namespace })),
    ]);
    if (ns.ok && ds.every((d) => d.ok)) {
      const list = ds.flatMap(
        (d) => ((d.data as { deployments?: Deployment[] }).deployments ?? []) as Deployment[],
      );
      const next = new Map(list.map((x) => [`${x.namespace}/${x.name}`, x.replicas]));
      if (replicas) {
        for (const x of list) {
          const before = replicas.get(`${x.namespace}/${x.name}`);
          if (before !== undefined && before !== x.replicas) {
            deps.events.emit({
              type: 'cluster.scaled',
              namespace: x.namespace,
              name: x.name,
              from: before,
              to: x.replicas,
              reason: deps.recentChange?.(x.namespace, x.name) ?? 'observed (HPA or an external change)',
            });
          }
        }
      }
      replicas = next;
    }
    if (n?.ok) {
      const list = ((n.data as { nodes?: Node[] }).nodes ?? []) as Node[];
      if (nodes) {
        for (const x of list)
          if (!nodes.has(x.name))
            deps.events.emit({ type: 'cluster.node_added', node: x.name, nodeGroup: x.nodeGroup });
      }
      nodes = new Set(list.map((x) => x.name));
    }
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    poll,
    start(everySeconds: number) {
      if (everySeconds <= 0) return;
      void poll().catch(() => undefined);
      timer = setInterval(() => {
        poll().catch((err: unknown) => process.stderr.write(`cluster watch: ${String(err)}\n`));
      }, everySeconds * 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
