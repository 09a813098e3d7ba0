import type { ClusterPort, MetricsPort } from '@devops-ai/core';
import { connectMcpGateway, type ToolGateway } from '@devops-ai/graphs';
import { createK8sServer } from '@devops-ai/mcp-k8s';
import { k8sInputSchemas, k8sManifest } from '@devops-ai/mcp-k8s/manifest';
import type { ToolManifest } from '@devops-ai/mcp-kit';
import { createMetricsServer } from '@devops-ai/mcp-metrics';
import { metricsInputSchemas, metricsManifest } from '@devops-ai/mcp-metrics/manifest';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';

export interface InProcessServers {
  /** MCP clients connected to the servers, for `createHost({ gateway })`. */
  gateway: ToolGateway;
  manifests: ToolManifest[];
  /** Closes the servers (the host closes the gateway). */
  close(): Promise<void>;
}

/**
 * The real k8s and metrics MCP servers, connected in-process over the SDK's linked in-memory
 * transport: the same servers and MCP clients as production, without processes (tests, evals, benches).
 */
export async function connectInProcessServers(
  ports: { cluster: ClusterPort; metrics: MetricsPort },
  opts: { onServerTransport?: (server: 'k8s' | 'metrics', transport: InMemoryTransport) => void } = {},
): Promise<InProcessServers> {
  const [k8sClient, k8sServerSide] = InMemoryTransport.createLinkedPair();
  const [metricsClient, metricsServerSide] = InMemoryTransport.createLinkedPair();
  const k8s = createK8sServer({ cluster: ports.cluster });
  const metrics = createMetricsServer({ metrics: ports.metrics });
  await k8s.connect(k8sServerSide);
  await metrics.connect(metricsServerSide);
  opts.onServerTransport?.('k8s', k8sServerSide);
  opts.onServerTransport?.('metrics', metricsServerSide);
  const gateway = await connectMcpGateway([
    {
      manifest: k8sManifest,
      inputSchemas: k8sInputSchemas,
      transport: { kind: 'transport', transport: k8sClient },
    },
    {
      manifest: metricsManifest,
      inputSchemas: metricsInputSchemas,
      transport: { kind: 'transport', transport: metricsClient },
    },
  ]);
  return {
    gateway,
    manifests: [k8sManifest, metricsManifest],
    async close() {
      await Promise.allSettled([k8s.close(), metrics.close()]);
    },
  };
}
