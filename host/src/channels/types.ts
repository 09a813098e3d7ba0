import type { ApprovalView } from '../approval-service.js';
import type { HostUser } from '../users.js';

/** The chat surfaces that feed the one pipeline. */
export type ChannelName = 'slack' | 'telegram' | 'web' | 'terminal';

export type ApprovalAction = { kind: 'approve' | 'reject'; approvalId: string; reason?: string };

/**
 * One normalised inbound message. Adapters build it from what the platform verified (Slack: the
 * user id of a signed request; Telegram: `from.id` of an update that came through the secret-token
 * webhook or our own long poll); the pipeline never trusts a name written in the text.
 */
export interface InboundMessage {
  channel: ChannelName;
  /** The platform's verified user id (Slack `U…`, Telegram numeric id as a string). */
  platformUser: string;
  /** The devops-ai user that platform user maps to, if any. */
  user: HostUser | undefined;
  /** A stable key of the platform conversation (Slack channel + thread, Telegram chat [+ topic]). */
  conversation: string;
  text?: string;
  action?: ApprovalAction;
}

export interface ReplyImage {
  png: Uint8Array;
  title: string;
  filename: string;
  /** Alt text / caption: what the chart shows. */
  caption: string;
}

/** What a decision did, for updating an approval message. */
export interface DecisionResult {
  ok: boolean;
  approval: ApprovalView | undefined;
  code?: string;
  message?: string;
}

/** A channel-neutral reply: adapters render it and never decide anything. */
export interface Reply {
  text: string;
  /** Approvals to show with Approve / Reject buttons (pending) or as decided cards. */
  approvals: ApprovalView[];
  image?: ReplyImage;
  /** Set when the message was an approval decision (button or /approve, /reject). */
  decision?: DecisionResult;
  /** Set when nothing should be sent back (unknown user with policy `ignore`). */
  silent?: boolean;
  /** Set when the pipeline refused the message (unknown user, not allowed, bad input). */
  refused?: { code: string; message: string };
}
