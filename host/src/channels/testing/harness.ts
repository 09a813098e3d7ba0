import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolGateway } from '@devops-ai/graphs';
import { copyWorld, openSandbox, type SandboxWorld } from '@devops-ai/sandbox';
import { createHost, type Host } from '../../app.js';
import { connectInProcessServers } from '../../in-process.js';
import { demoRegistry } from '../../users.js';

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
export async function startHarness(
  opts: { seed?: number; approvalTtlMs?: number; forecasting?: boolean } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'devops-ai-channels-'));
  const path = copyWorld(opts.seed ?? 42, join(dir, 'sandbox.db'));
  const serverWorld = openSandbox({ path });
  const servers = await connectInProcessServers(serverWorld, { forecasting: opts.forecasting ?? true });
  const gateway = servers.gateway;
  let offset = 0;
  const host = await createHost({
    dataDir: join(dir, 'host'),
    model: 'offline',
    env: {},
    users: demoRegistry(),
    gateway,
    manifests: servers.manifests,
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
      await servers.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
