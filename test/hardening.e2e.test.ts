import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Platform, startPlatform } from './helpers/platform.js';

interface ChatBody {
  conversation: string;
  reply: string;
  approvals: Array<{ id: string; args: Record<string, unknown> }>;
}

describe('hardening found by the evals', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform();
  }, 90_000);
  afterAll(async () => {
    await p?.close();
  });

  it('a conversation is private to the user who started it (regression: anyone could post into, and read, another user’s thread)', async () => {
    const mine = await api<ChatBody>(p.url, 'alice', 'POST', '/api/chat', { text: 'status of prod' });
    expect(mine.status).toBe(200);
    const intruder = await api(p.url, 'carol', 'POST', '/api/chat', {
      text: 'status',
      conversation: mine.body.conversation,
    });
    expect(intruder.status).toBe(403);
    expect(intruder.body).toMatchObject({ error: { code: 'forbidden' } });
    const again = await api(p.url, 'alice', 'POST', '/api/chat', {
      text: 'alerts',
      conversation: mine.body.conversation,
    });
    expect(again.status).toBe(200);
  });

  it('an approval whose stored arguments were edited after the request is refused (regression: the approver saw edited args)', async () => {
    const r = await api<ChatBody>(p.url, 'alice', 'POST', '/api/chat', {
      text: 'scale search in prod to 3 replicas',
    });
    const id = r.body.approvals[0]?.id ?? '';
    const db = new Database(join(p.dir, 'host', 'host.db'));
    // Edit the arguments but keep the digest, as an attacker with database access might.
    db.prepare('UPDATE approvals SET args = ? WHERE id = ?').run(
      JSON.stringify({ name: 'search', namespace: 'prod', replicas: 30 }),
      id,
    );
    db.close();
    const before = p.replicas('prod', 'search');
    const res = await api(p.url, 'bob', 'POST', `/api/approvals/${id}/approve`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'approval_mismatch' } });
    expect(p.replicas('prod', 'search')).toBe(before);
  });
});
