import type { PolicyUser, Risk } from '@devops-ai/policies';

export type ApprovalStatus =
  | 'pending'
  | 'approved'
  | 'executing'
  | 'executed'
  | 'failed'
  | 'rejected'
  | 'expired';

export interface ApprovalRecord {
  id: string;
  conversation: string;
  toolCallId: string;
  server: string;
  tool: string;
  /** Canonical arguments (validated by the tool's schema). */
  args: Record<string, unknown>;
  /** sha256 of canonical {server, tool, args}. */
  digest: string;
  risk: Risk;
  status: ApprovalStatus;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  result: unknown;
  executedAt: string | null;
}

export interface NewApproval {
  id: string;
  conversation: string;
  toolCallId: string;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  digest: string;
  risk: Risk;
  requestedBy: string;
}

export type ClaimResult =
  | { ok: true; approval: ApprovalRecord }
  | {
      ok: false;
      code: 'approval_not_found' | 'approval_used' | 'approval_mismatch' | 'approval_expired';
      reason: string;
    };

/** Approval persistence; every transition is atomic and single-use. */
export interface ApprovalStore {
  /** Idempotent on id: creating the same approval twice returns the first. */
  create(input: NewApproval): ApprovalRecord;
  get(id: string): ApprovalRecord | undefined;
  /** approved → executing, only if the digest of the call about to run equals the approved digest. Once. */
  claimForExecution(id: string, digest: string): ClaimResult;
  finishExecution(id: string, outcome: { ok: boolean; result: unknown }): ApprovalRecord;
}

export interface AuditEvent {
  type: string;
  actor: string;
  conversation?: string | null;
  subject?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditSink {
  append(event: AuditEvent): void;
}

export interface UserDirectory {
  get(id: string): PolicyUser | undefined;
}
