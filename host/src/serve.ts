import type { AddressInfo } from 'node:net';
import { connectMcpGateway } from '@devops-ai/graphs';
import { forecastingInputSchemas, forecastingManifest } from '@devops-ai/mcp-forecasting/manifest';
import { k8sInputSchemas, k8sManifest } from '@devops-ai/mcp-k8s/manifest';
import { metricsInputSchemas, metricsManifest } from '@devops-ai/mcp-metrics/manifest';
import { openSandbox } from '@devops-ai/sandbox';
import { serve } from '@hono/node-server';
import { createHost, type Host } from './app.js';
import { attachChannels, type Channels } from './channels/index.js';
import type { HostConfig } from './config.js';
import { demoRegistry, fileRegistry, isLoopback } from './users.js';

export interface RunningHost {
  host: Host;
  /** The chat channels (pipeline, Slack, Telegram, notifications) attached to the host. */
  channels: Channels;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Connects to the MCP servers, builds the host and listens. Refuses a public address with demo tokens. */
export async function startHost(
  config: HostConfig,
  env: Record<string, string | undefined>,
): Promise<RunningHost> {
  const users = config.usersFile ? fileRegistry(config.usersFile) : demoRegistry();
  if (users.demo && !isLoopback(config.host)) {
    throw new Error(
      `refusing to listen on ${config.host}: the demo users' tokens are public. Configure DEVOPS_AI_USERS_FILE, or listen on 127.0.0.1`,
    );
  }
  const gateway = await connectMcpGateway([
    {
      manifest: k8sManifest,
      inputSchemas: k8sInputSchemas,
      transport: { kind: 'http', ...config.servers.k8s },
    },
    {
      manifest: metricsManifest,
      inputSchemas: metricsInputSchemas,
      transport: { kind: 'http', ...config.servers.metrics },
    },
    ...(config.servers.forecasting
      ? [
          {
            manifest: forecastingManifest,
            inputSchemas: forecastingInputSchemas,
            transport: { kind: 'http' as const, ...config.servers.forecasting },
          },
        ]
      : []),
  ]);
  const sandbox = config.sandboxPath
    ? openSandbox({ path: config.sandboxPath, seed: config.sandboxSeed })
    : undefined;
  const host = await createHost({
    dataDir: config.dataDir,
    model: config.model,
    env,
    users,
    gateway,
    manifests: [k8sManifest, metricsManifest, ...(config.servers.forecasting ? [forecastingManifest] : [])],
    approvalTtlMs: config.approvalTtlMinutes * 60_000,
    sandbox,
    alertmanagerToken: config.alertmanagerToken,
  });
  // Routes (Slack events, Telegram webhook, console messages) are mounted before the server serves.
  const channels = attachChannels(host, config.channels, { gateway });
  const running = await new Promise<RunningHost>((resolve) => {
    const server = serve(
      { fetch: host.app.fetch, hostname: config.host, port: config.port },
      (info: AddressInfo) => {
        const h = config.host.includes(':') ? `[${config.host}]` : config.host;
        resolve({
          host,
          channels,
          url: `http://${h}:${info.port}`,
          port: info.port,
          close: async () => {
            await channels.close();
            await new Promise<void>((r) => server.close(() => r()));
            await host.close();
          },
        });
      },
    );
  });
  try {
    await channels.start();
  } catch (err) {
    await running.close();
    throw err;
  }
  return running;
}
