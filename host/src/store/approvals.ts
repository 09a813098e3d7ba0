import { canonicalJson } from '@devops-ai/core';
import type {
  ApprovalRecord,
  ApprovalStatus,
  ApprovalStore,
  ClaimResult,
  NewApproval,
} from '@devops-ai/graphs';
import type { Risk } from '@devops-ai/policies';
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { HostDb } from './db.js';
import { approvals } from './schema.js';

type Row = typeof approvals.$inferSelect;

function toRecord(r: Row): ApprovalRecord {
  return {
    id: r.id,
    conversation: r.conversation,
    toolCallId: r.toolCallId,
    server: r.server,
    tool: r.tool,
    args: JSON.parse(r.args) as Record<string, unknown>,
    digest: r.digest,
    risk: r.risk as Risk,
    status: r.status as ApprovalStatus,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    expiresAt: r.expiresAt,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    reason: r.reason,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    executedAt: r.executedAt,
  };
}

export type DecideResult =
  | { ok: true; approval: ApprovalRecord }
  | {
      ok: false;
      code: 'approval_not_found' | 'approval_used' | 'approval_expired';
      approval?: ApprovalRecord;
    };

export interface HostApprovalStore extends ApprovalStore {
  list(status?: ApprovalStatus): ApprovalRecord[];
  /** pending → approved | rejected, atomically, only while unexpired. */
  decide(id: string, to: 'approved' | 'rejected', by: string, reason: string | null): DecideResult;
  /** pending → expired for every approval whose expiry has passed; returns them. */
  expireDue(): ApprovalRecord[];
}

export function createApprovalStore(
  db: HostDb,
  opts: { ttlMs: number; now?: () => Date; onTransition?: (a: ApprovalRecord) => void },
): HostApprovalStore {
  const now = opts.now ?? (() => new Date());
  const sqlite = db.$client;
  const get = (id: string) => {
    const r = db.select().from(approvals).where(eq(approvals.id, id)).get();
    return r ? toRecord(r) : undefined;
  };

  const notify = (a: ApprovalRecord | undefined) => {
    if (a) opts.onTransition?.(a);
  };
  let created = false;
  const createTx = sqlite.transaction((input: NewApproval): ApprovalRecord => {
    created = false;
    const existing = get(input.id);
    if (existing) return existing;
    created = true;
    const t = now();
    db.insert(approvals)
      .values({
        id: input.id,
        conversation: input.conversation,
        toolCallId: input.toolCallId,
        server: input.server,
        tool: input.tool,
        args: canonicalJson(input.args),
        digest: input.digest,
        risk: input.risk,
        status: 'pending',
        requestedBy: input.requestedBy,
        requestedAt: t.toISOString(),
        expiresAt: new Date(t.getTime() + opts.ttlMs).toISOString(),
      })
      .run();
    return get(input.id) as ApprovalRecord;
  });

  return {
    create: (input) => {
      const rec = createTx.immediate(input);
      if (created) notify(rec);
      return rec;
    },
    get,
    list(status) {
      const q = db.select().from(approvals);
      const rows = status
        ? q.where(eq(approvals.status, status)).orderBy(asc(approvals.requestedAt)).all()
        : q.orderBy(asc(approvals.requestedAt)).all();
      return rows.map(toRecord);
    },
    decide(id, to, by, reason) {
      const t = now().toISOString();
      // One UPDATE guarded by status and expiry: of two concurrent clicks, exactly one wins.
      const res = db
        .update(approvals)
        .set({ status: to, decidedBy: by, decidedAt: t, reason })
        .where(and(eq(approvals.id, id), eq(approvals.status, 'pending'), gt(approvals.expiresAt, t)))
        .run();
      let rec = get(id);
      if (!rec) return { ok: false, code: 'approval_not_found' };
      if (res.changes !== 1 && rec.status === 'pending') {
        // Past its expiry: it can only become expired.
        db.update(approvals)
          .set({ status: 'expired', decidedAt: t, reason: 'expired before a decision' })
          .where(and(eq(approvals.id, id), eq(approvals.status, 'pending')))
          .run();
        rec = get(id) as ApprovalRecord;
        notify(rec);
      }
      if (res.changes !== 1)
        return {
          ok: false,
          code: rec.status === 'expired' ? 'approval_expired' : 'approval_used',
          approval: rec,
        };
      notify(rec);
      return { ok: true, approval: rec };
    },
    expireDue() {
      const t = now().toISOString();
      const due = db
        .select()
        .from(approvals)
        .where(and(eq(approvals.status, 'pending'), lte(approvals.expiresAt, t)))
        .all();
      const expired: ApprovalRecord[] = [];
      for (const r of due) {
        const res = db
          .update(approvals)
          .set({ status: 'expired', decidedAt: t, decidedBy: null, reason: 'expired before a decision' })
          .where(and(eq(approvals.id, r.id), eq(approvals.status, 'pending')))
          .run();
        if (res.changes === 1) {
          const rec = get(r.id) as ApprovalRecord;
          expired.push(rec);
          notify(rec);
        }
      }
      return expired;
    },
    claimForExecution(id, digest): ClaimResult {
      const rec = get(id);
      if (!rec) return { ok: false, code: 'approval_not_found', reason: `approval ${id} does not exist` };
      if (rec.digest !== digest) {
        return {
          ok: false,
          code: 'approval_mismatch',
          reason: `the call about to run does not match approval ${id} (digest ${digest.slice(0, 12)} ≠ approved ${rec.digest.slice(0, 12)}); not executed`,
        };
      }
      const res = db
        .update(approvals)
        .set({ status: 'executing' })
        .where(and(eq(approvals.id, id), eq(approvals.status, 'approved'), eq(approvals.digest, digest)))
        .run();
      if (res.changes !== 1) {
        return {
          ok: false,
          code: rec.status === 'expired' ? 'approval_expired' : 'approval_used',
          reason: `approval ${id} is ${rec.status}, not approved; not executed`,
        };
      }
      return { ok: true, approval: get(id) as ApprovalRecord };
    },
    finishExecution(id, outcome) {
      db.update(approvals)
        .set({
          status: outcome.ok ? 'executed' : 'failed',
          result: canonicalJson(outcome.result ?? null),
          executedAt: now().toISOString(),
        })
        .where(and(eq(approvals.id, id), eq(approvals.status, 'executing')))
        .run();
      const rec = get(id) as ApprovalRecord;
      notify(rec);
      return rec;
    },
  };
}
