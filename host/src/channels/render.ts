import type { ApprovalView } from '../approval-service.js';
import type { HostEvent } from '../events.js';

/** The facts every approval card shows, in order, for every channel. */
export function approvalFacts(a: ApprovalView): Array<[string, string]> {
  return [
    ['Server', a.server],
    ['Tool', a.tool],
    ['Risk', a.risk],
    ['Requested by', a.requestedBy],
    ['Expires', `${a.expiresAt.slice(0, 16).replace('T', ' ')} UTC`],
    ['Digest', a.digest.slice(0, 12)],
  ];
}

export function argsJson(a: ApprovalView, max = 1500): string {
  const s = JSON.stringify(a.args, null, 1);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export type Severity = 'info' | 'warning' | 'critical';

/** A host event as the channels tell it: one line, a dedupe key, and the approval for buttons. */
export interface Notification {
  key: string;
  type: HostEvent['type'];
  severity: Severity;
  text: string;
  approval?: ApprovalView;
}

/** Host events that are told to people (approval.approved is followed at once by executed/failed). */
export function toNotification(e: HostEvent): Notification | null {
  switch (e.type) {
    case 'approval.requested':
      return {
        key: `${e.type}:${e.approval.id}`,
        type: e.type,
        severity: 'warning',
        text: `Approval requested by ${e.approval.requestedBy}: ${e.approval.server}/${e.approval.tool} ${JSON.stringify(e.approval.args)} (risk ${e.approval.risk})`,
        approval: e.approval,
      };
    case 'approval.executed':
    case 'approval.failed':
    case 'approval.expired':
    case 'approval.rejected': {
      const a = e.approval;
      const verb =
        e.type === 'approval.executed'
          ? `executed (approved by ${a.decidedBy ?? '?'})`
          : e.type === 'approval.failed'
            ? `failed (approved by ${a.decidedBy ?? '?'})`
            : e.type === 'approval.rejected'
              ? `rejected by ${a.decidedBy ?? '?'}${a.reason ? ` (${a.reason})` : ''}`
              : 'expired without a decision';
      return {
        key: `${e.type}:${a.id}`,
        type: e.type,
        severity: e.type === 'approval.failed' ? 'critical' : 'info',
        text: `${a.server}/${a.tool} ${JSON.stringify(a.args)} ${verb}`,
        approval: a,
      };
    }
    case 'approval.approved':
      return null;
    case 'alert.firing':
    case 'alert.resolved': {
      const a = e.alert;
      const where = [a.labels.namespace, a.labels.service].filter(Boolean).join('/');
      return {
        key: `${e.type}:${a.fingerprint}`,
        type: e.type,
        severity: e.type === 'alert.resolved' ? 'info' : a.severity === 'critical' ? 'critical' : 'warning',
        text: `${e.type === 'alert.firing' ? 'Alert firing' : 'Alert resolved'}: ${a.name}${where ? ` on ${where}` : ''}${a.severity ? ` (${a.severity})` : ''}${a.annotations.summary ? ` — ${a.annotations.summary}` : ''}`,
      };
    }
    case 'cluster.scaled':
      return {
        key: `${e.type}:${e.namespace}/${e.name}:${e.to}`,
        type: e.type,
        severity: 'info',
        text: `${e.namespace}/${e.name} scaled ${e.to > e.from ? 'out' : 'in'} from ${e.from} to ${e.to} replicas (${e.reason})`,
      };
    case 'cluster.node_added':
      return {
        key: `${e.type}:${e.node}`,
        type: e.type,
        severity: 'info',
        text: `New node ${e.node}${e.nodeGroup ? ` in node group ${e.nodeGroup}` : ''} joined the cluster`,
      };
  }
}
