import { callDigest } from '@devops-ai/core';
import type { ApprovalRecord, AuditSink, Copilot } from '@devops-ai/graphs';
import type { ToolManifestEntry } from '@devops-ai/mcp-kit';
import type { PolicyEngine } from '@devops-ai/policies';
import type { HostApprovalStore } from './store/approvals.js';
import type { HostUser, UserRegistry } from './users.js';

export type DecisionAction = 'approve' | 'reject';

export interface DecisionOutcome {
  status: 200 | 403 | 404 | 409;
  body: {
    approval?: ApprovalView;
    error?: { code: string; message: string };
    execution?: { ok: boolean; result: unknown } | null;
    reply?: string;
  };
}

/** An approval as the API and channels show it (the model's tool-call id stays internal). */
export type ApprovalView = Omit<ApprovalRecord, 'toolCallId'>;

export function approvalView(a: ApprovalRecord): ApprovalView {
  const { toolCallId: _internal, ...view } = a;
  return view;
}

export function describeApproval(a: ApprovalRecord): string {
  return `${a.server}/${a.tool} ${JSON.stringify(a.args)} — risk ${a.risk}, requested by ${a.requestedBy}, approval id ${a.id}, digest ${a.digest.slice(0, 12)}, expires ${a.expiresAt}`;
}

export interface ApprovalServiceDeps {
  store: HostApprovalStore;
  policy: PolicyEngine;
  users: UserRegistry;
  audit: AuditSink;
  copilot: Copilot;
  manifest: (server: string, tool: string) => ToolManifestEntry | undefined;
}

export function createApprovalService(deps: ApprovalServiceDeps) {
  async function expireDue(): Promise<ApprovalRecord[]> {
    const expired = deps.store.expireDue();
    for (const a of expired) {
      deps.audit.append({
        type: 'approval.expired',
        actor: 'host',
        conversation: a.conversation,
        subject: a.id,
        data: { tool: a.tool, digest: a.digest },
      });
      await deps.copilot.resume(a.conversation, a.id);
    }
    return expired;
  }

  async function decide(
    id: string,
    user: HostUser,
    action: DecisionAction,
    reason: string | null,
  ): Promise<DecisionOutcome> {
    await expireDue();
    const rec = deps.store.get(id);
    if (!rec)
      return { status: 404, body: { error: { code: 'approval_not_found', message: `no approval ${id}` } } };
    const refuse = (status: 403 | 409, code: string, message: string): DecisionOutcome => {
      deps.audit.append({
        type: 'approval.refused',
        actor: user.id,
        conversation: rec.conversation,
        subject: id,
        data: { action, code, message },
      });
      return { status, body: { approval: approvalView(rec), error: { code, message } } };
    };
    if (rec.status === 'expired')
      return refuse(409, 'approval_expired', `approval ${id} expired at ${rec.expiresAt}`);
    if (rec.status !== 'pending')
      return refuse(409, 'approval_used', `approval ${id} was already ${rec.status}`);

    // The stored call must still be the one that was requested: refuse a record edited after the fact.
    if (callDigest(rec.server, rec.tool, rec.args) !== rec.digest) {
      return refuse(
        409,
        'approval_mismatch',
        `approval ${id} no longer matches the call that was requested; refused`,
      );
    }
    const entry = deps.manifest(rec.server, rec.tool);
    if (!entry) return refuse(409, 'unknown_tool', `${rec.server}/${rec.tool} is not in any server manifest`);
    const tool = {
      server: rec.server,
      name: rec.tool,
      readOnly: entry.readOnly,
      destructive: entry.destructive,
      risk: entry.risk,
    };
    const requester = deps.users.get(rec.requestedBy) ?? {
      id: rec.requestedBy,
      name: rec.requestedBy,
      roles: [],
    };
    if (action === 'approve') {
      const d = deps.policy.decideApproval({
        approver: user,
        requester,
        tool,
        args: rec.args,
        risk: rec.risk,
      });
      if (!d.allowed) {
        const code = user.id === rec.requestedBy && rec.risk === 'high' ? 'self_approval' : 'forbidden';
        return refuse(403, code, d.reason);
      }
    } else {
      // Rejecting: an approver, or the requester withdrawing their own request.
      const d = deps.policy.decideApproval({ approver: user, requester, tool, args: rec.args, risk: 'low' });
      if (!d.allowed && user.id !== rec.requestedBy) return refuse(403, 'forbidden', d.reason);
    }

    const to = action === 'approve' ? 'approved' : 'rejected';
    const r = deps.store.decide(id, to, user.id, reason);
    if (!r.ok) {
      return refuse(
        409,
        r.code,
        r.code === 'approval_expired' ? `approval ${id} expired` : `approval ${id} was already decided`,
      );
    }
    deps.audit.append({
      type: action === 'approve' ? 'approval.approved' : 'approval.rejected',
      actor: user.id,
      conversation: rec.conversation,
      subject: id,
      data: { tool: rec.tool, digest: rec.digest, risk: rec.risk, ...(reason ? { reason } : {}) },
    });
    const turn = await deps.copilot.resume(rec.conversation, id);
    const final = deps.store.get(id) as ApprovalRecord;
    const executed = final.status === 'executed' || final.status === 'failed';
    return {
      status: 200,
      body: {
        approval: approvalView(final),
        execution: executed ? { ok: final.status === 'executed', result: final.result } : null,
        reply: turn.reply,
      },
    };
  }

  return { decide, expireDue };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
