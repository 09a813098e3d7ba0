import type { ClusterPort, MetricsPort } from '@devops-ai/core';
import { connectMcpGateway, type ToolGateway } from '@devops-ai/graphs';
import { createForecastingServer } from '@devops-ai/mcp-forecasting';
import { forecastingInputSchemas, forecastingManifest } from '@devops-ai/mcp-forecasting/manifest';
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

type ServerName = 'k8s' | 'metrics' | 'forecasting';

/**
 * The real k8s, metrics and forecasting MCP servers, connected in-process over the SDK's linked
 * in-memory transport: the same servers and MCP clients as production, without processes (tests,
 * evals, benches). `forecasting: false` leaves that server out (a host without it).
 */
export async function connectInProcessServers(
  ports: { cluster: ClusterPort; metrics: MetricsPort },
  opts: {
    onServerTransport?: (server: ServerName, transport: InMemoryTransport) => void;
    forecasting?: boolean;
  } = {},
): Promise<InProcessServers> {
  const [k8sClient, k8sServerSide] = InMemoryTransport.createLinkedPair();
  const [metricsClient, metricsServerSide] = InMemoryTransport.createLinkedPair();
  const [forecastingClient, forecastingServerSide] = InMemoryTransport.createLinkedPair();
  const withForecasting = opts.forecasting ?? true;
  const k8s = createK8sServer({ cluster: ports.cluster });
  const metrics = createMetricsServer({ metrics: ports.metrics });
  const forecasting = withForecasting ? createForecastingServer({ metrics: ports.metrics }) : undefined;
  await k8s.connect(k8sServerSide);
  await metrics.connect(metricsServerSide);
  await forecasting?.connect(forecastingServerSide);
  opts.onServerTransport?.('k8s', k8sServerSide);
  opts.onServerTransport?.('metrics', metricsServerSide);
  if (forecasting) opts.onServerTransport?.('forecasting', forecastingServerSide);
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
    ...(forecasting
      ? [
          {
            manifest: forecastingManifest,
            inputSchemas: forecastingInputSchemas,
            transport: { kind: 'transport' as const, transport: forecastingClient },
          },
        ]
      : []),
  ]);
  return {
    gateway,
    manifests: [k8sManifest, metricsManifest, ...(forecasting ? [forecastingManifest] : [])],
    async close() {
      await Promise.allSettled([k8s.close(), metrics.close(), forecasting?.close()]);
    },
  };
}
