import { join } from 'node:path';
import { openSandbox } from '@devops-ai/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BINS, spawnService } from '../host/src/processes.js';
import { api, hostEnv, type Servers, startServers } from './helpers/platform.js';

describe('4. a pending approval survives the host being killed with SIGKILL', () => {
  let servers: Servers;
  beforeAll(async () => {
    servers = await startServers();
  }, 60_000);
  afterAll(async () => {
    await servers?.stop();
  });

  const replicas = () => {
    const w = openSandbox({ path: servers.sandboxPath });
    try {
      return w.snapshot().deployments.find((d) => d.namespace === 'prod' && d.name === 'payments')?.replicas;
    } finally {
      w.close();
    }
  };

  it('executes exactly once after a restart', async () => {
    const dataDir = join(servers.dir, 'host');
    const env = hostEnv(servers, dataDir);
    const first = await spawnService('host-1', SERVER_BINS.host, [], env);
    const chat = await api<{ approvals: Array<{ id: string; status: string }> }>(
      first.url,
      'alice',
      'POST',
      '/api/chat',
      {
        text: 'scale payments in prod to 5 replicas',
      },
    );
    expect(chat.body.approvals).toHaveLength(1);
    const id = chat.body.approvals[0]?.id ?? '';
    const before = replicas();
    expect(before).not.toBe(5);

    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await spawnService('host-2', SERVER_BINS.host, [], env);
    try {
      const pending = await api<{ approvals: Array<{ id: string }> }>(
        second.url,
        'bob',
        'GET',
        '/api/approvals?status=pending',
      );
      expect(pending.body.approvals.map((a) => a.id)).toEqual([id]);
      const ok = await api<{ approval: { status: string }; reply: string }>(
        second.url,
        'bob',
        'POST',
        `/api/approvals/${id}/approve`,
      );
      expect(ok.status).toBe(200);
      expect(ok.body.approval.status).toBe('executed');
      expect(ok.body.reply).toMatch(/Done: scale payments in prod to 5/);
      expect(replicas()).toBe(5);
      const again = await api(second.url, 'bob', 'POST', `/api/approvals/${id}/approve`);
      expect(again.status).toBe(409);
      const audit = await api<{
        entries: Array<{ type: string; subject: string | null }>;
        verification: { ok: boolean };
      }>(second.url, 'bob', 'GET', '/api/audit?limit=1000');
      expect(audit.body.verification.ok).toBe(true);
      expect(audit.body.entries.filter((e) => e.type === 'tool.executed' && e.subject === id)).toHaveLength(
        1,
      );
    } finally {
      await second.stop();
    }
  });
});
