import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@devops-ai/core';
import type { ToolGateway } from '@devops-ai/graphs';
import {
  attachChannels,
  channelsConfigSchema,
  connectInProcessServers,
  createHost,
  createUserRegistry,
  type Host,
  type HostUser,
} from '@devops-ai/host';
import {
  createPolicyEngine,
  DEFAULT_POLICY_DIR,
  loadPolicyDir,
  type PolicyEngine,
} from '@devops-ai/policies';
import type { SandboxWorld } from '@devops-ai/sandbox';
import { CallRecorder } from './recorder.js';
import { DEFAULT_USERS, type IncidentSpec, type Scenario } from './scenario.js';
import { freshWorld } from './world.js';

/**
 * One scenario's platform: a fresh sandbox world, the real k8s and metrics MCP servers over the
 * SDK's in-memory transport (through `connectMcpGateway`, as in production), and the real host
 * built by `createHost` with a clock the runner controls. Everything is reached over HTTP
 * (`host.app.fetch`), so the API's own validation runs.
 */
export interface Harness {
  host: Host;
  world: SandboxWorld;
  recorder: CallRecorder;
  /** The gateway the host uses (tests call it directly to plant a call behind the host's back). */
  gateway: ToolGateway;
  users: HostUser[];
  /** An independent policy engine over the same policies, for the safety checker. */
  policy: PolicyEngine;
  dataDir: string;
  api(as: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: ApiBody }>;
  /** Moves the host clock and the world forward. */
  advance(minutes: number): void;
  inject(incidents: IncidentSpec[]): void;
  nowMs(): number;
  close(): Promise<void>;
}

/** A host API response body, as far as the runner reads it. */
export type ApiBody = Record<string, unknown> & {
  reply?: unknown;
  error?: { code?: unknown; message?: unknown };
};

export function tokenOf(user: string): string {
  return `eval-token-${user}`;
}

function policyDirFor(scenario: Scenario, dir: string): string {
  if (!scenario.policies) return DEFAULT_POLICY_DIR;
  const out = join(dir, 'policies');
  mkdirSync(out, { recursive: true });
  copyFileSync(join(DEFAULT_POLICY_DIR, 'schema.cedarschema'), join(out, 'schema.cedarschema'));
  if (scenario.policies.extend) {
    for (const f of readdirSync(DEFAULT_POLICY_DIR).filter((n) => n.endsWith('.cedar')))
      copyFileSync(join(DEFAULT_POLICY_DIR, f), join(out, f));
  }
  for (const [name, text] of Object.entries(scenario.policies.files)) writeFileSync(join(out, name), text);
  return out;
}

export interface HarnessOptions {
  dir: string;
  model: string;
  env: Record<string, string | undefined>;
}

export async function createHarness(scenario: Scenario, opts: HarnessOptions): Promise<Harness> {
  mkdirSync(opts.dir, { recursive: true });
  const world = freshWorld(scenario.world.seed, join(opts.dir, 'world.db'));
  const inject = (incidents: IncidentSpec[]) => {
    for (const i of incidents) {
      world.injectIncident({
        kind: i.kind,
        namespace: i.namespace,
        service: i.service,
        ...(i.text !== undefined ? { text: i.text } : {}),
        ...(i.multiplier !== undefined ? { multiplier: i.multiplier } : {}),
        ...(i.duration_minutes !== undefined ? { durationMinutes: i.duration_minutes } : {}),
      });
    }
  };
  if (scenario.world.advance_minutes > 0) world.advance(scenario.world.advance_minutes);
  inject(scenario.world.incidents);
  if (scenario.world.settle_minutes > 0) world.advance(scenario.world.settle_minutes);

  const recorder = new CallRecorder();
  const servers = await connectInProcessServers(
    { cluster: recorder.cluster(world.cluster), metrics: recorder.metrics(world.metrics) },
    { onServerTransport: (server, transport) => recorder.tapServerTransport(server, transport) },
  );
  const gateway = servers.gateway;

  const users: HostUser[] = (scenario.users ?? DEFAULT_USERS).map((u) => ({
    id: u.id,
    name: u.name ?? u.id,
    roles: u.roles,
    tokenSha256: sha256Hex(tokenOf(u.id)),
  }));
  const policyDir = policyDirFor(scenario, opts.dir);
  // The host clock follows the world's: approvals are stamped in world time and expire when the
  // runner advances it.
  let clockMs = Date.parse(world.now());
  const host = await createHost({
    dataDir: join(opts.dir, 'host'),
    model: opts.model,
    env: opts.env,
    users: createUserRegistry(users, false),
    gateway,
    manifests: servers.manifests,
    approvalTtlMs: (scenario.approval_ttl_minutes ?? 30) * 60_000,
    sandbox: world,
    now: () => new Date(clockMs),
    policyDir,
  });
  const policy = createPolicyEngine(loadPolicyDir(policyDir), { users });
  // The channels' pipeline (what Slack, Telegram and the web console feed), for slash commands.
  const channels = attachChannels(host, channelsConfigSchema.parse({}), { gateway });

  return {
    host,
    world,
    recorder,
    gateway,
    users,
    policy,
    dataDir: join(opts.dir, 'host'),
    async api(as, method, path, body) {
      const res = await host.app.fetch(
        new Request(`http://evals.local${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${tokenOf(as)}`,
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        }),
      );
      const text = await res.text();
      let parsed: unknown = {};
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        parsed = { raw: text };
      }
      return { status: res.status, body: parsed as ApiBody };
    },
    advance(minutes) {
      world.advance(minutes);
      clockMs += minutes * 60_000;
    },
    inject,
    nowMs: () => clockMs,
    async close() {
      await channels.close();
      await host.close();
      await servers.close();
    },
  };
}
