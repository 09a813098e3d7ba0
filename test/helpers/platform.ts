import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyWorld, openSandbox, type SandboxWorld } from '@devops-ai/sandbox';
import { hostConfigSchema } from '../../host/src/config.js';
import { type ChildService, spawnMcpServer } from '../../host/src/processes.js';
import { type RunningHost, startHost } from '../../host/src/serve.js';

export const TOKENS = { alice: 'demo-alice', bob: 'demo-bob', carol: 'demo-carol' } as const;
export type DemoUser = keyof typeof TOKENS;

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function api<T = Record<string, unknown>>(
  baseUrl: string,
  as: DemoUser | null,
  method: string,
  path: string,
  body?: unknown,
  raw?: string,
): Promise<ApiResponse<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(as ? { Authorization: `Bearer ${TOKENS[as]}` } : {}),
      ...(body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

export interface Servers {
  dir: string;
  sandboxPath: string;
  k8s: ChildService;
  metrics: ChildService;
  stop(): Promise<void>;
}

/** The k8s and metrics MCP servers as separate processes over HTTP, on a fresh sandbox world. */
export async function startServers(seed = 42): Promise<Servers> {
  const dir = mkdtempSync(join(tmpdir(), 'devops-ai-e2e-'));
  const sandboxPath = join(dir, 'sandbox.db');
  copyWorld(seed, sandboxPath);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DEVOPS_AI_BACKEND: 'sandbox',
    SANDBOX_PATH: sandboxPath,
  };
  const [k8s, metrics] = await Promise.all([spawnMcpServer('k8s', env), spawnMcpServer('metrics', env)]);
  return {
    dir,
    sandboxPath,
    k8s,
    metrics,
    async stop() {
      await Promise.allSettled([k8s.stop(), metrics.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function hostEnv(servers: Servers, dataDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DEVOPS_AI_DATA_DIR: dataDir,
    DEVOPS_AI_PORT: '0',
    SANDBOX_PATH: servers.sandboxPath,
    MCP_K8S_URL: servers.k8s.url,
    MCP_K8S_TOKEN: servers.k8s.token,
    MCP_METRICS_URL: servers.metrics.url,
    MCP_METRICS_TOKEN: servers.metrics.token,
  };
}

export interface Platform extends Servers {
  host: RunningHost;
  url: string;
  world: SandboxWorld;
  replicas(namespace: string, name: string): number | undefined;
  close(): Promise<void>;
}

/** Servers as processes plus the host in-process, listening on a free loopback port. */
export async function startPlatform(
  opts: { approvalTtlMinutes?: number; seed?: number } = {},
): Promise<Platform> {
  const servers = await startServers(opts.seed);
  const config = hostConfigSchema.parse({
    port: 0,
    dataDir: join(servers.dir, 'host'),
    sandboxPath: servers.sandboxPath,
    approvalTtlMinutes: opts.approvalTtlMinutes ?? 30,
    servers: {
      k8s: { url: servers.k8s.url, token: servers.k8s.token },
      metrics: { url: servers.metrics.url, token: servers.metrics.token },
    },
  });
  const host = await startHost(config, {});
  const world = openSandbox({ path: servers.sandboxPath });
  return {
    ...servers,
    host,
    url: host.url,
    world,
    replicas: (namespace, name) =>
      world.snapshot().deployments.find((d) => d.namespace === namespace && d.name === name)?.replicas,
    async close() {
      world.close();
      await host.close();
      await servers.stop();
    },
  };
}
