import type { ToolGateway } from '@devops-ai/graphs';
import type { Host } from '../app.js';
import type { ApprovalView } from '../approval-service.js';
import type { HostUser } from '../users.js';
import { helpText, type ParsedCommand, parseCommand } from './commands.js';
import type { GraphService } from './graph/service.js';
import type { IdentityMap } from './identity.js';
import type { InboundMessage, Reply } from './types.js';

/** Which server or agent serves the seed's commands that the foundation does not. */
const SERVED_BY: Record<string, { server: string; what: string }> = {
  cost: { server: 'cost', what: 'cost breakdowns' },
  predict: { server: 'forecasting', what: 'forecasts' },
  bursts: { server: 'forecasting', what: 'burst prediction' },
  anomaly: { server: 'forecasting', what: 'anomaly detection' },
  capacity: { server: 'forecasting', what: 'capacity plans' },
  autoscale: { server: 'forecasting', what: 'HPA advice' },
  run: { server: 'github', what: 'CI test runs' },
};

/** Commands the offline planner (and any LLM) understands as typed: they go to the copilot as they are. */
const TO_COPILOT = new Set(['status', 'scale', 'restart', 'logs', 'alerts']);

export interface PipelineDeps {
  host: Pick<Host, 'chat' | 'approvals' | 'store' | 'audit' | 'alerts' | 'copilot'>;
  gateway: Pick<ToolGateway, 'tools'>;
  identity: IdentityMap;
  graphs: GraphService;
  /** Names of the agents registered with the host (none yet). */
  agents?: () => string[];
}

const MAX_TEXT = 4000;

/** Host conversation ids use letters, digits and . _ : - (as the HTTP API's). */
function conversationKey(msg: InboundMessage): string {
  return `${msg.channel}:${msg.conversation}`.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 120);
}

/**
 * The one pipeline every chat channel feeds: identity policy, commands, approval decisions and free
 * text. It returns a channel-neutral Reply; adapters only render it.
 */
export function createPipeline(deps: PipelineDeps) {
  const { host } = deps;
  /** A platform conversation maps to a host conversation; while one waits for an approval, the next one opens. */
  const generation = new Map<string, number>();

  async function hostConversation(msg: InboundMessage): Promise<string> {
    const base = conversationKey(msg);
    let n = generation.get(base) ?? 0;
    for (;;) {
      const id = n === 0 ? base : `${base}~${n}`;
      if ((await host.copilot.waiting(id)).length === 0) {
        generation.set(base, n);
        return id;
      }
      n++;
    }
  }

  function refuse(
    msg: InboundMessage,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): Reply {
    host.audit.append({
      type: 'channel.refused',
      actor: msg.user?.id ?? `${msg.channel}:${msg.platformUser}`,
      subject: msg.action?.approvalId ?? null,
      data: {
        channel: msg.channel,
        platformUser: msg.platformUser,
        conversation: msg.conversation,
        code,
        message,
        ...(msg.action ? { action: msg.action.kind } : {}),
        ...extra,
      },
    });
    return { text: message, approvals: [], refused: { code, message } };
  }

  async function decide(
    msg: InboundMessage,
    user: HostUser,
    kind: 'approve' | 'reject',
    approvalId: string,
    reason: string | null,
  ): Promise<Reply> {
    if (!/^apr_[0-9a-f]{16}$/.test(approvalId))
      return refuse(
        msg,
        'invalid_argument',
        `"${approvalId.slice(0, 40)}" is not an approval id (apr_ + 16 hex)`,
      );
    const out = await host.approvals.decide(approvalId, user, kind, reason);
    host.audit.append({
      type: 'channel.decision',
      actor: user.id,
      subject: approvalId,
      data: {
        channel: msg.channel,
        platformUser: msg.platformUser,
        action: kind,
        status: out.status,
        ...(out.body.error ? { code: out.body.error.code } : {}),
      },
    });
    const approval = out.body.approval;
    if (out.status !== 200) {
      const code = out.body.error?.code ?? 'refused';
      const message = out.body.error?.message ?? 'refused';
      // approvals.decide audits 403/409 itself (approval.refused); an unknown id is audited here.
      if (out.status === 404) refuse(msg, code, message);
      return {
        text: `Refused: ${message}`,
        approvals: approval ? [approval] : [],
        refused: { code, message },
        decision: { ok: false, approval, code, message },
      };
    }
    const outcome = approval ? outcomeLine(approval) : `${kind}d`;
    return {
      text: [outcome, out.body.reply ?? ''].filter(Boolean).join('\n'),
      approvals: approval ? [approval] : [],
      decision: { ok: true, approval },
    };
  }

  function connectedServers(): Map<string, number> {
    const m = new Map<string, number>();
    for (const t of deps.gateway.tools()) m.set(t.server, (m.get(t.server) ?? 0) + 1);
    return m;
  }

  async function toCopilot(msg: InboundMessage, user: HostUser, text: string): Promise<Reply> {
    const conversation = await hostConversation(msg);
    const r = await host.chat(user, text, conversation, {
      shared: msg.channel === 'slack' || msg.channel === 'telegram',
    });
    return { text: r.reply, approvals: r.approvals.filter((a) => a.status === 'pending') };
  }

  async function command(
    msg: InboundMessage,
    user: HostUser,
    cmd: ParsedCommand,
    text: string,
  ): Promise<Reply> {
    switch (cmd.name) {
      case 'help':
        return { text: helpText(), approvals: [] };
      case 'approve':
      case 'reject': {
        const [id, ...reason] = cmd.args;
        if (!id)
          return {
            text: `usage: /${cmd.name} <approval id>${cmd.name === 'reject' ? ' [reason]' : ''}`,
            approvals: [],
          };
        return decide(msg, user, cmd.name, id, reason.join(' ').slice(0, 1000) || null);
      }
      case 'graph': {
        const g = await deps.graphs.render(user, cmd.args, conversationKey(msg));
        return g.ok ? { text: g.text, approvals: [], image: g.image } : { text: g.message, approvals: [] };
      }
      case 'audit': {
        const n = cmd.args[0] ? Number(cmd.args[0]) : 10;
        if (!Number.isInteger(n) || n < 1 || n > 50)
          return { text: 'usage: /audit [n] with n from 1 to 50', approvals: [] };
        const entries = host.audit.list({ limit: n });
        const v = host.audit.verify();
        const lines = entries
          .slice()
          .reverse()
          .map(
            (e) =>
              `#${e.id} ${e.ts.slice(0, 19)}Z ${e.type} by ${e.actor}${e.subject ? ` · ${e.subject}` : ''}`,
          );
        return {
          text: [
            `Last ${entries.length} audit entries (chain ${v.ok ? `verified, ${v.entries} entries` : `BROKEN at #${v.brokenAt}: ${v.reason}`}):`,
            ...lines,
          ].join('\n'),
          approvals: [],
        };
      }
      case 'agent': {
        const agents = deps.agents?.() ?? [];
        const [sub, action] = cmd.args;
        if (!sub || sub === 'status') {
          const servers = [...connectedServers()].map(([s, n]) => `${s} (${n} tools)`).join(', ');
          return {
            text: [
              agents.length ? `Agents: ${agents.join(', ')}` : 'No agents are connected to this host yet.',
              `Connected MCP servers: ${servers || 'none'}.`,
              `Not connected: ${['cost', 'forecasting', 'github'].filter((s) => !connectedServers().has(s)).join(', ') || 'none'}.`,
            ].join('\n'),
            approvals: [],
          };
        }
        if (!action || !['analyze', 'analyse', 'optimize', 'optimise'].includes(action))
          return { text: 'usage: /agent status | /agent <name> analyze|optimize', approvals: [] };
        if (!agents.includes(sub))
          return {
            text: `The agent "${sub}" is not connected to this host, so it cannot ${action} yet. ${agents.length ? `Connected agents: ${agents.join(', ')}.` : 'No agents are connected yet.'}`,
            approvals: [],
          };
        return toCopilot(msg, user, text);
      }
      case 'cost':
      case 'predict':
      case 'bursts':
      case 'anomaly':
      case 'capacity':
      case 'autoscale':
      case 'run': {
        if (cmd.name === 'run' && (cmd.args[0] !== 'test' || !cmd.args[1]))
          return { text: 'usage: /run test <service>', approvals: [] };
        const s = SERVED_BY[cmd.name] as { server: string; what: string };
        if (!connectedServers().has(s.server))
          return {
            text: `The ${s.server} server is not connected to this host, so /${cmd.name} (${s.what}) cannot answer yet. Connected servers: ${[...connectedServers().keys()].join(', ') || 'none'}.`,
            approvals: [],
          };
        return toCopilot(msg, user, text);
      }
      case 'status': {
        const r = await toCopilot(msg, user, text);
        const pending = host.store.list('pending');
        const extra = pending.length
          ? `Pending approvals (${pending.length}): ${pending.map((a) => `${a.id} ${a.tool} ${JSON.stringify(a.args)}`).join('; ')}`
          : 'No pending approvals.';
        return { ...r, text: `${r.text}\n\n${extra}` };
      }
      case 'alerts': {
        const r = await toCopilot(msg, user, text);
        const am = host.alerts.list('firing');
        return am.length
          ? {
              ...r,
              text: `${r.text}\n\nFrom Alertmanager (${am.length} firing): ${am.map((a) => `${a.name}${a.labels.service ? ` (${a.labels.namespace ?? ''}/${a.labels.service})` : ''}`).join(', ')}`,
            }
          : r;
      }
      case 'analysis':
        // The planner's natural-language form of an investigation.
        return cmd.args[0]
          ? toCopilot(msg, user, `analyze ${cmd.rest}`)
          : { text: 'usage: /analysis <service>', approvals: [] };
      default:
        if (TO_COPILOT.has(cmd.name)) return toCopilot(msg, user, text);
        return { text: helpText(), approvals: [] };
    }
  }

  /** Handles one inbound message. Never throws for user input; errors become a reply. */
  async function handle(msg: InboundMessage): Promise<Reply> {
    let user = msg.user;
    if (!user) {
      if (msg.action || deps.identity.unknownUsers === 'ignore' || !deps.identity.readOnly) {
        const r = refuse(
          msg,
          'unknown_user',
          `${msg.channel} user ${msg.platformUser} is not mapped to a devops-ai user${msg.action ? ' and cannot decide approvals' : ''}`,
        );
        return deps.identity.unknownUsers === 'ignore' ? { ...r, silent: true } : r;
      }
      user = deps.identity.readOnly;
    }
    if (msg.action) {
      return decide(msg, user, msg.action.kind, msg.action.approvalId, msg.action.reason ?? null);
    }
    const text = (msg.text ?? '').trim();
    if (!text) return { text: helpText(), approvals: [] };
    if (text.length > MAX_TEXT)
      return refuse(msg, 'invalid_argument', `message is longer than ${MAX_TEXT} characters`);
    const cmd = parseCommand(text);
    if (text.startsWith('/') && !cmd)
      return { text: `Unknown command ${text.split(/\s/)[0]}.\n${helpText()}`, approvals: [] };
    // Commands are forwarded with their canonical name (Slack's `/devops scale x 3` → `/scale x 3`).
    const canonical = cmd ? `/${cmd.name}${cmd.rest ? ` ${cmd.rest}` : ''}` : text;
    return cmd ? command(msg, user, cmd, canonical) : toCopilot(msg, user, text);
  }

  return { handle };
}

export type Pipeline = ReturnType<typeof createPipeline>;

/** One line saying what happened to an approval, for every channel. */
export function outcomeLine(a: ApprovalView): string {
  const call = `${a.server}/${a.tool} ${JSON.stringify(a.args)}`;
  switch (a.status) {
    case 'pending':
      return `Waiting for approval: ${call}`;
    case 'approved':
    case 'executing':
      return `Approved by ${a.decidedBy ?? '?'}: ${call}`;
    case 'executed':
      return `Approved by ${a.decidedBy ?? '?'} and executed: ${call}`;
    case 'failed':
      return `Approved by ${a.decidedBy ?? '?'}, but the call failed: ${call}`;
    case 'rejected':
      return `Rejected by ${a.decidedBy ?? '?'}${a.reason ? ` (${a.reason})` : ''}: ${call}`;
    case 'expired':
      return `Expired without a decision: ${call}`;
    default:
      return `${a.status}: ${call}`;
  }
}
