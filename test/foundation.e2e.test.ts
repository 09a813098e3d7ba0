import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Platform, startPlatform } from './helpers/platform.js';

const run = promisify(execFile);

interface Approval {
  id: string;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  digest: string;
  risk: string;
  status: string;
  requestedBy: string;
  expiresAt: string;
}
interface ChatBody {
  conversation: string;
  reply: string;
  approvals: Approval[];
}
interface AuditBody {
  entries: Array<{
    id: number;
    type: string;
    actor: string;
    subject: string | null;
    data: Record<string, unknown>;
  }>;
  verification: { ok: boolean; brokenAt?: number; reason?: string };
}

describe('foundation: chat → policy → approval → execution, on the sandbox world', () => {
  let p: Platform;
  let approval: Approval;
  beforeAll(async () => {
    p = await startPlatform();
  }, 90_000);
  afterAll(async () => {
    await p?.close();
  });

  it('1. a scale request from alice returns a pending approval bound to the exact call; the world is unchanged', async () => {
    const before = p.replicas('prod', 'checkout-api');
    expect(before).not.toBe(4);
    const r = await api<ChatBody>(p.url, 'alice', 'POST', '/api/chat', {
      text: 'scale checkout-api in prod to 4 replicas',
    });
    expect(r.status).toBe(200);
    expect(r.body.approvals).toHaveLength(1);
    approval = r.body.approvals[0] as Approval;
    expect(approval).toMatchObject({
      server: 'k8s',
      tool: 'k8s_scale_deployment',
      args: { namespace: 'prod', name: 'checkout-api', replicas: 4 },
      status: 'pending',
      requestedBy: 'alice',
      risk: 'medium',
    });
    expect(approval.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(approval.expiresAt)).toBeGreaterThan(Date.now());
    expect(r.body.reply).toMatch(/approval/i);
    expect(p.replicas('prod', 'checkout-api')).toBe(before);
    const pending = await api<{ approvals: Approval[] }>(
      p.url,
      'carol',
      'GET',
      '/api/approvals?status=pending',
    );
    expect(pending.body.approvals.map((a) => a.id)).toContain(approval.id);
  });

  it('2. carol gets 403, bob executes it once, a second approve gets 409; the audit trail shows it and verifies', async () => {
    const denied = await api(p.url, 'carol', 'POST', `/api/approvals/${approval.id}/approve`);
    expect(denied.status).toBe(403);
    expect(p.replicas('prod', 'checkout-api')).not.toBe(4);

    const ok = await api<{
      approval: Approval;
      execution: { ok: boolean; result: Record<string, unknown> };
      reply: string;
    }>(p.url, 'bob', 'POST', `/api/approvals/${approval.id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body.approval.status).toBe('executed');
    expect(ok.body.execution).toMatchObject({ ok: true, result: { replicas: 4 } });
    expect(ok.body.reply).toMatch(/scale checkout-api in prod to 4/);
    expect(p.replicas('prod', 'checkout-api')).toBe(4);

    const again = await api(p.url, 'bob', 'POST', `/api/approvals/${approval.id}/approve`);
    expect(again.status).toBe(409);
    const executed = await api<{ approvals: Approval[] }>(
      p.url,
      'bob',
      'GET',
      '/api/approvals?status=executed',
    );
    expect(executed.body.approvals.map((a) => a.id)).toContain(approval.id);

    const audit = await api<AuditBody>(p.url, 'bob', 'GET', '/api/audit?limit=1000');
    expect(audit.body.verification.ok).toBe(true);
    const trail = audit.body.entries
      .filter((e) => e.subject === approval.id)
      .map((e) => `${e.type}:${e.actor}`);
    expect(trail).toEqual([
      'approval.requested:alice',
      'approval.refused:carol',
      'approval.approved:bob',
      'tool.executed:bob',
      'approval.refused:bob',
    ]);
    const exec = audit.body.entries.find((e) => e.type === 'tool.executed' && e.subject === approval.id);
    expect(exec?.data).toMatchObject({ digest: approval.digest, tool: 'k8s_scale_deployment' });
  });

  it('2b. editing one audit row makes verification fail and name that row (API and CLI)', async () => {
    const audit = await api<AuditBody>(p.url, 'bob', 'GET', '/api/audit?limit=1000');
    const target = audit.body.entries.find((e) => e.type === 'approval.approved');
    expect(target).toBeDefined();
    const cli = join(import.meta.dirname, '..', 'host', 'src', 'cli.ts');
    const dataDir = join(p.dir, 'host');
    const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
    const good = await run(tsx, [cli, 'audit', 'verify', '--data-dir', dataDir]);
    expect(good.stdout).toMatch(/audit trail OK/);

    const db = new Database(join(dataDir, 'host.db'));
    db.prepare('UPDATE audit_log SET actor = ? WHERE id = ?').run('mallory', target?.id);
    db.close();

    const after = await api<AuditBody>(p.url, 'bob', 'GET', '/api/audit?limit=1000');
    expect(after.body.verification).toMatchObject({ ok: false, brokenAt: target?.id });
    const bad = await run(tsx, [cli, 'audit', 'verify', '--data-dir', dataDir]).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`BROKEN at entry ${target?.id}`);
  });

  it('3. read-only questions run without approval and answer from real tool results', async () => {
    const logs = await api<ChatBody>(p.url, 'carol', 'POST', '/api/chat', { text: 'logs of checkout-api' });
    expect(logs.status).toBe(200);
    expect(logs.body.approvals).toEqual([]);
    const pods = p.world
      .snapshot()
      .pods.filter((x) => x.namespace === 'prod' && x.deployment === 'checkout-api');
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.some((pod) => logs.body.reply.includes(pod.name))).toBe(true);

    p.world.injectIncident({ kind: 'cpu_burst', namespace: 'prod', service: 'checkout-api', multiplier: 4 });
    p.world.advance(10);
    const slow = await api<ChatBody>(p.url, 'alice', 'POST', '/api/chat', {
      text: 'why is checkout-api slow?',
    });
    expect(slow.body.approvals).toEqual([]);
    const g = await p.world.metrics.goldenSignals({
      namespace: 'prod',
      service: 'checkout-api',
      windowMinutes: 30,
    });
    expect(slow.body.reply).toContain(`p95 ${Math.round(g.latencyMs.p95 ?? 0)} ms`);
    expect(slow.body.reply).toMatch(/CPU saturation|traffic rose/);
    const pendingAfter = await api<{ approvals: Approval[] }>(
      p.url,
      'bob',
      'GET',
      '/api/approvals?status=pending',
    );
    expect(pendingAfter.body.approvals).toEqual([]);
  });

  it('6. bad input gets a clear error and changes nothing', async () => {
    const snapshot = JSON.stringify(p.world.snapshot().deployments);
    const malformed = await api(p.url, 'alice', 'POST', '/api/chat', undefined, '{"text": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      error: { code: 'invalid_argument', message: 'body is not valid JSON' },
    });
    const wrongShape = await api(p.url, 'alice', 'POST', '/api/chat', { text: 42 });
    expect(wrongShape.status).toBe(400);
    expect(JSON.stringify(wrongShape.body)).toMatch(/text/);
    const noAuth = await api(p.url, null, 'POST', '/api/chat', { text: 'status' });
    expect(noAuth.status).toBe(401);
    const advance = await api(p.url, 'alice', 'POST', '/api/sandbox/advance', { minutes: -5 });
    expect(advance.status).toBe(400);
    const badIncident = await api(p.url, 'alice', 'POST', '/api/sandbox/incidents', {
      kind: 'meteor',
      service: 'x',
    });
    expect(badIncident.status).toBe(400);
    const unknownApproval = await api(p.url, 'bob', 'POST', '/api/approvals/apr_nope/approve');
    expect(unknownApproval.status).toBe(404);

    // An argument that fails the tool's schema never becomes an approval.
    const huge = await api<ChatBody>(p.url, 'alice', 'POST', '/api/chat', {
      text: 'scale checkout-api in prod to 100000 replicas',
    });
    expect(huge.status).toBe(200);
    expect(huge.body.approvals).toEqual([]);
    expect(huge.body.reply).toMatch(/invalid arguments|replicas/i);
    expect(JSON.stringify(p.world.snapshot().deployments)).toBe(snapshot);
  });

  it('serves health and Prometheus metrics', async () => {
    const h = await fetch(`${p.url}/healthz`);
    expect(await h.json()).toMatchObject({ ok: true, model: 'offline', sandbox: true });
    const m = await (await fetch(`${p.url}/metrics`)).text();
    expect(m).toMatch(/devops_ai_approvals_total\{outcome="executed"\} 1/);
    expect(m).toMatch(/devops_ai_tool_calls_total\{server="k8s",tool="k8s_scale_deployment",status="ok"\} 1/);
  });
});
