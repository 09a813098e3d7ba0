import { describe, expect, it } from 'vitest';
import { createAuditLog } from './audit.js';
import { openHostDb } from './db.js';

function filled(n: number) {
  const db = openHostDb(':memory:');
  const log = createAuditLog(db, () => new Date('2026-03-02T08:00:00Z'));
  for (let i = 0; i < n; i++)
    log.append({ type: 'test.event', actor: 'alice', subject: `s${i}`, data: { i } });
  return { db, log };
}

describe('hash-chained audit log', () => {
  it('verifies an untouched chain', () => {
    const { log } = filled(5);
    expect(log.verify()).toMatchObject({ ok: true, entries: 5 });
    expect(log.list({ limit: 2 }).map((e) => e.id)).toEqual([4, 5]);
  });

  it('names an edited entry', () => {
    const { db, log } = filled(5);
    db.$client.prepare(`UPDATE audit_log SET data = '{"i":99}' WHERE id = 3`).run();
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('names the entry after a deleted one', () => {
    const { db, log } = filled(5);
    db.$client.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects an entry whose hash was recomputed after editing (the next link breaks)', () => {
    const { db, log } = filled(4);
    db.$client
      .prepare(`UPDATE audit_log SET actor = 'mallory', hash = 'f'||substr(hash, 2) WHERE id = 2`)
      .run();
    const r = log.verify();
    expect(r.ok).toBe(false);
    expect(r.ok ? 0 : r.brokenAt).toBe(2);
  });

  it('masks credentials before they are written', () => {
    const { log } = filled(0);
    log.append({
      type: 'chat.message',
      actor: 'alice',
      data: { text: 'my key is sk-abcdefghijklmnop1234 ok', apiKey: 'x' },
    });
    const [entry] = log.list();
    expect(JSON.stringify(entry?.data)).not.toContain('sk-abcdefghijklmnop1234');
    expect(entry?.data).toMatchObject({ apiKey: '[redacted]' });
  });
});
