import { canonicalJson, sha256Hex } from '@devops-ai/core';
import type { AuditEvent, AuditSink } from '@devops-ai/graphs';
import { asc, desc, eq, gt } from 'drizzle-orm';
import type { HostDb } from './db.js';
import { auditLog } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  id: number;
  ts: string;
  type: string;
  actor: string;
  conversation: string | null;
  subject: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

type Row = typeof auditLog.$inferSelect;

/** The hash of an entry covers every field and the previous hash: editing, deleting or reordering breaks the chain. */
export function entryHash(row: Omit<Row, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      id: row.id,
      ts: row.ts,
      type: row.type,
      actor: row.actor,
      conversation: row.conversation,
      subject: row.subject,
      data: row.data,
      prevHash: row.prevHash,
    }),
  );
}

export type VerifyResult =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: string };

export interface AuditLog extends AuditSink {
  list(opts?: { limit?: number; afterId?: number }): AuditEntry[];
  verify(): VerifyResult;
}

/** Strings that look like credentials are masked before they reach the audit trail. */
function redact(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replace(
        /\b(sk-[A-Za-z0-9_-]{8,}|xox[abposr]-[A-Za-z0-9-]{8,}|ghp_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16})\b/g,
        '[redacted]',
      )
      .replace(/(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, '$1[redacted]');
  }
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        /token|secret|password|api[-_]?key/i.test(k) ? '[redacted]' : redact(v),
      ]),
    );
  }
  return value;
}

export function createAuditLog(db: HostDb, now: () => Date = () => new Date()): AuditLog {
  const sqlite = db.$client;
  const appendTx = sqlite.transaction((event: AuditEvent) => {
    const last = db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
    const prevHash = last?.hash ?? GENESIS_HASH;
    const id = (last?.id ?? 0) + 1;
    const row = {
      id,
      ts: now().toISOString(),
      type: event.type,
      actor: event.actor,
      conversation: event.conversation ?? null,
      subject: event.subject ?? null,
      data: canonicalJson(redact(event.data ?? {})),
      prevHash,
    };
    db.insert(auditLog)
      .values({ ...row, hash: entryHash(row) })
      .run();
  });

  return {
    append(event) {
      appendTx.immediate(event);
    },
    list({ limit = 100, afterId = 0 } = {}) {
      const rows = db
        .select()
        .from(auditLog)
        .where(gt(auditLog.id, afterId))
        .orderBy(desc(auditLog.id))
        .limit(Math.min(limit, 1000))
        .all()
        .reverse();
      return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
    },
    verify() {
      let prev = GENESIS_HASH;
      let expectedId = 1;
      let n = 0;
      for (const row of db.select().from(auditLog).orderBy(asc(auditLog.id)).all()) {
        n++;
        if (row.id !== expectedId) {
          return {
            ok: false,
            entries: n,
            brokenAt: row.id,
            reason: `entry ${expectedId} is missing before entry ${row.id}`,
          };
        }
        if (row.prevHash !== prev) {
          return {
            ok: false,
            entries: n,
            brokenAt: row.id,
            reason: `entry ${row.id} does not link to the previous entry`,
          };
        }
        const { hash, ...rest } = row;
        if (entryHash(rest) !== hash) {
          return {
            ok: false,
            entries: n,
            brokenAt: row.id,
            reason: `entry ${row.id} was modified after it was written`,
          };
        }
        prev = hash;
        expectedId++;
      }
      return { ok: true, entries: n, head: prev };
    },
  };
}

export function auditEntry(db: HostDb, id: number): AuditEntry | undefined {
  const r = db.select().from(auditLog).where(eq(auditLog.id, id)).get();
  return r ? { ...r, data: JSON.parse(r.data) as Record<string, unknown> } : undefined;
}
