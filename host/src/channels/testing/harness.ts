import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMcpGateway, type ToolGateway } from '@devops-ai/graphs';
import { createK8sServer } from '@devops-ai/mcp-k8s';
import { k8sInputSchemas, k8sManifest } from '@devops-ai/mcp-k8s/manifest';
import { createMetricsServer } from '@devops-ai/mcp-metrics';
import { metricsInputSchemas, metricsManifest } from '@devops-ai/mcp-metrics/manifest';
import { openSandbox, type SandboxWorld } from '@devops-ai/sandbox';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createHost, type Host } from '../../app.js';
import { demoRegistry } from '../../users.js';

const templates = new Map<number, string>();

/** One simulated world per seed per process; each harness gets a copy of the file (fast). */
function worldCopy(dir: string, seed: number): string {
  let template = templates.get(seed);
  if (!template || !existsSync(template)) {
    template = join(mkdtempSync(join(tmpdir(), 'devops-ai-world-')), `seed-${seed}.db`);
    openSandbox({ path: template, seed }).close();
    templates.set(seed, template);
  }
  const target = join(dir, 'sandbox.db');
  copyFileSync(template, target);
  return target;
}

export interface Harness {
  dir: string;
  host: Host;
  gateway: ToolGateway;
  /** The same world the MCP servers serve (a second handle on the file). */
  world: SandboxWorld;
  /** Moves the host's clock (approval expiry) forward. */
  advanceClock(ms: number): void;
  replicas(namespace: string, name: string): number | undefined;
  close(): Promise<void>;
}

/**
 * The host in-process with the real k8s and metrics MCP servers over the SDK's in-memory transport,
 * on a copy of a sandbox world, with the offline model and the demo users (alice, bob, carol).
 */
export async function startHarness(opts: { seed?: number; approvalTtlMs?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'devops-ai-channels-'));
  const path = worldCopy(dir, opts.seed ?? 42);
  const serverWorld = openSandbox({ path });
  const pairs = [InMemoryTransport.createLinkedPair(), InMemoryTransport.createLinkedPair()] as const;
  await createK8sServer({ cluster: serverWorld.cluster }).connect(pairs[0][1]);
  await createMetricsServer({ metrics: serverWorld.metrics }).connect(pairs[1][1]);
  const gateway = await connectMcpGateway([
    {
      manifest: k8sManifest,
      inputSchemas: k8sInputSchemas,
      transport: { kind: 'transport', transport: pairs[0][0] },
    },
    {
      manifest: metricsManifest,
      inputSchemas: metricsInputSchemas,
      transport: { kind: 'transport', transport: pairs[1][0] },
    },
  ]);
  let offset = 0;
  const host = await createHost({
    dataDir: join(dir, 'host'),
    model: 'offline',
    env: {},
    users: demoRegistry(),
    gateway,
    manifests: [k8sManifest, metricsManifest],
    approvalTtlMs: opts.approvalTtlMs ?? 30 * 60_000,
    sandbox: serverWorld,
    now: () => new Date(Date.now() + offset),
  });
  const world = openSandbox({ path });
  return {
    dir,
    host,
    gateway,
    world,
    advanceClock(ms) {
      offset += ms;
    },
    replicas: (namespace, name) =>
      world.snapshot().deployments.find((d) => d.namespace === namespace && d.name === name)?.replicas,
    async close() {
      world.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
