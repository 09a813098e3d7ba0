import { callDigest, sha256Hex } from '@devops-ai/core';
import type { PolicyEngine, PolicyTool, PolicyUser } from '@devops-ai/policies';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import {
  Annotation,
  Command,
  END,
  interrupt,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import type { ToolGateway, ToolSpec } from './gateway.js';
import type { ApprovalRecord, ApprovalStore, AuditSink, UserDirectory } from './ports.js';

/** A mutating call the model proposed, validated, before policy. */
interface ProposedCall {
  toolCallId: string;
  server: string;
  tool: string;
  args: Record<string, unknown>;
}

/** A call waiting for a human decision, bound to its approval by id and digest. */
interface PendingCall extends ProposedCall {
  approvalId: string;
  digest: string;
}

export interface ApprovalInterrupt {
  approvals: Array<{
    approvalId: string;
    server: string;
    tool: string;
    args: Record<string, unknown>;
    digest: string;
  }>;
}

/** The resume value only points at an approval; the store decides what it says. */
export interface ApprovalResume {
  approvalId: string;
}

const replace = <T>() => ({ reducer: (_a: T, b: T) => b, default: () => [] as unknown as T });

export const CopilotState = Annotation.Root({
  ...MessagesAnnotation.spec,
  userId: Annotation<string>(),
  conversation: Annotation<string>(),
  proposed: Annotation<ProposedCall[]>(replace<ProposedCall[]>()),
  pending: Annotation<PendingCall[]>(replace<PendingCall[]>()),
  toExecute: Annotation<string | null>({ reducer: (_a, b) => b, default: () => null }),
});

type State = typeof CopilotState.State;

export interface CopilotDeps {
  model: BaseChatModel;
  gateway: ToolGateway;
  policy: PolicyEngine;
  approvals: ApprovalStore;
  audit: AuditSink;
  users: UserDirectory;
  systemPrompt: string;
  checkpointer: BaseCheckpointSaver;
  /** Most model calls per turn (guards against loops). */
  maxModelCalls?: number;
}

function policyTool(spec: ToolSpec): PolicyTool {
  return {
    server: spec.server,
    name: spec.name,
    readOnly: spec.manifest.readOnly,
    destructive: spec.manifest.destructive,
    risk: spec.manifest.risk,
  };
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function errorMessage(toolCallId: string, name: string, code: string, message: string): ToolMessage {
  return new ToolMessage({
    tool_call_id: toolCallId,
    name,
    status: 'error',
    content: json({ error: { code, message } }),
  });
}

/** Approval ids are derived from the conversation and the model's tool-call id: re-running a node is idempotent. */
export function approvalIdFor(conversation: string, toolCallId: string): string {
  return `apr_${sha256Hex(`${conversation}\u0000${toolCallId}`).slice(0, 16)}`;
}

function lastAi(messages: BaseMessage[]): AIMessage | undefined {
  const m = messages[messages.length - 1];
  return m && AIMessage.isInstance(m) ? m : undefined;
}

function modelCallsThisTurn(messages: BaseMessage[]): number {
  let n = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m || m.type === 'human') break;
    if (m.type === 'ai') n++;
  }
  return n;
}

/**
 * The copilot graph: model → tools (read-only calls run at once) → policy (allow / deny / needs approval)
 * → approval (interrupt) → execute (the approved call, digest-checked, once) → back to the model → reply.
 */
export function buildCopilotGraph(deps: CopilotDeps) {
  const maxCalls = deps.maxModelCalls ?? 8;

  function userOf(state: State): PolicyUser {
    const u = deps.users.get(state.userId);
    // Unknown users get no roles: every policy check denies them.
    return u ?? { id: state.userId, name: state.userId, roles: [] };
  }

  async function agent(state: State) {
    if (modelCallsThisTurn(state.messages) >= maxCalls) {
      return {
        messages: [
          new AIMessage(`I stopped after ${maxCalls} steps without finishing. Please narrow the request.`),
        ],
      };
    }
    const tools = deps.gateway.tools().map((t) => ({
      type: 'function' as const,
      function: { name: t.name, description: t.description, parameters: t.inputSchema },
    }));
    const bound = deps.model.bindTools ? deps.model.bindTools(tools) : deps.model;
    const ai = await bound.invoke([new SystemMessage(deps.systemPrompt), ...state.messages]);
    return { messages: [ai] };
  }

  async function tools(state: State) {
    const ai = lastAi(state.messages);
    const user = userOf(state);
    const proposed: ProposedCall[] = [];
    const reads: Array<Promise<ToolMessage>> = [];
    for (const tc of ai?.tool_calls ?? []) {
      const id = tc.id ?? `missing_${tc.name}`;
      const spec = deps.gateway.find(tc.name);
      if (!spec) {
        deps.audit.append({
          type: 'tool.unknown',
          actor: user.id,
          conversation: state.conversation,
          subject: tc.name,
        });
        reads.push(
          Promise.resolve(errorMessage(id, tc.name, 'unknown_tool', `there is no tool named ${tc.name}`)),
        );
        continue;
      }
      const v = deps.gateway.validate(tc.name, tc.args);
      if (!v.ok) {
        deps.audit.append({
          type: 'tool.invalid_arguments',
          actor: user.id,
          conversation: state.conversation,
          subject: tc.name,
          data: { message: v.message },
        });
        reads.push(Promise.resolve(errorMessage(id, tc.name, 'invalid_argument', v.message)));
        continue;
      }
      if (!spec.manifest.readOnly) {
        proposed.push({ toolCallId: id, server: spec.server, tool: spec.name, args: v.args });
        continue;
      }
      const decision = deps.policy.decideCall({ user, tool: policyTool(spec), args: v.args });
      if (decision.outcome !== 'allow') {
        deps.audit.append({
          type: 'policy.denied',
          actor: user.id,
          conversation: state.conversation,
          subject: tc.name,
          data: { reason: decision.reason, policies: decision.policies },
        });
        reads.push(Promise.resolve(errorMessage(id, tc.name, 'policy_denied', decision.reason)));
        continue;
      }
      reads.push(
        deps.gateway.call(spec.name, v.args).then((r) => {
          deps.audit.append({
            type: 'tool.read',
            actor: user.id,
            conversation: state.conversation,
            subject: spec.name,
            data: { server: spec.server, args: v.args, ok: r.ok, ...(r.error ? { error: r.error } : {}) },
          });
          return new ToolMessage({
            tool_call_id: id,
            name: spec.name,
            status: r.ok ? 'success' : 'error',
            content: r.text,
          });
        }),
      );
    }
    return { messages: await Promise.all(reads), proposed };
  }

  async function policy(state: State) {
    const user = userOf(state);
    const messages: ToolMessage[] = [];
    const pending: PendingCall[] = [...state.pending];
    for (const p of state.proposed) {
      const spec = deps.gateway.find(p.tool);
      if (!spec) continue;
      const decision = deps.policy.decideCall({ user, tool: policyTool(spec), args: p.args });
      deps.audit.append({
        type: 'policy.decision',
        actor: user.id,
        conversation: state.conversation,
        subject: p.tool,
        data: { outcome: decision.outcome, risk: decision.risk, policies: decision.policies, args: p.args },
      });
      if (decision.outcome === 'deny') {
        messages.push(
          new ToolMessage({
            tool_call_id: p.toolCallId,
            name: p.tool,
            status: 'error',
            content: json({
              policy: { outcome: 'deny', reason: decision.reason, policies: decision.policies },
            }),
          }),
        );
        continue;
      }
      if (decision.outcome === 'allow') {
        // A policy explicitly permits running this without approval (none does in the foundation set).
        const r = await deps.gateway.call(p.tool, p.args);
        deps.audit.append({
          type: r.ok ? 'tool.executed' : 'tool.failed',
          actor: user.id,
          conversation: state.conversation,
          subject: p.tool,
          data: { approval: null, policies: decision.policies, args: p.args, ok: r.ok },
        });
        messages.push(
          new ToolMessage({
            tool_call_id: p.toolCallId,
            name: p.tool,
            content: json({ policy: { outcome: 'allow' }, result: r.data ?? r.text }),
          }),
        );
        continue;
      }
      const digest = callDigest(p.server, p.tool, p.args);
      const approval = deps.approvals.create({
        id: approvalIdFor(state.conversation, p.toolCallId),
        conversation: state.conversation,
        toolCallId: p.toolCallId,
        server: p.server,
        tool: p.tool,
        args: p.args,
        digest,
        risk: decision.risk,
        requestedBy: user.id,
      });
      if (!pending.some((x) => x.approvalId === approval.id)) {
        pending.push({ ...p, approvalId: approval.id, digest });
        deps.audit.append({
          type: 'approval.requested',
          actor: user.id,
          conversation: state.conversation,
          subject: approval.id,
          data: {
            server: p.server,
            tool: p.tool,
            args: p.args,
            digest,
            risk: approval.risk,
            expiresAt: approval.expiresAt,
          },
        });
      }
    }
    return { messages, proposed: [], pending };
  }

  function approval(state: State) {
    // Nothing before interrupt(): a resumed node runs again from its start.
    const resume = interrupt<ApprovalInterrupt, ApprovalResume>({
      approvals: state.pending.map((p) => ({
        approvalId: p.approvalId,
        server: p.server,
        tool: p.tool,
        args: p.args,
        digest: p.digest,
      })),
    });
    const p = state.pending.find((x) => x.approvalId === resume?.approvalId);
    if (!p) return {};
    const rec = deps.approvals.get(p.approvalId);
    if (!rec || rec.status === 'pending') return {};
    if (rec.status === 'approved') return { toExecute: p.approvalId };
    const outcome = {
      approval: { id: rec.id, status: rec.status, decidedBy: rec.decidedBy, reason: rec.reason },
    };
    return {
      messages: [
        new ToolMessage({
          tool_call_id: p.toolCallId,
          name: p.tool,
          status: 'error',
          content: json(outcome),
        }),
      ],
      pending: state.pending.filter((x) => x !== p),
    };
  }

  async function execute(state: State) {
    const p = state.pending.find((x) => x.approvalId === state.toExecute);
    if (!p) return { toExecute: null };
    const rest = state.pending.filter((x) => x !== p);
    // The digest of the call about to run, recomputed from the graph's own copy of the call.
    const digest = callDigest(p.server, p.tool, p.args);
    const claim = deps.approvals.claimForExecution(p.approvalId, digest);
    if (!claim.ok) {
      deps.audit.append({
        type: 'execution.refused',
        actor: 'host',
        conversation: state.conversation,
        subject: p.approvalId,
        data: { tool: p.tool, code: claim.code, reason: claim.reason },
      });
      return {
        messages: [errorMessage(p.toolCallId, p.tool, claim.code, claim.reason)],
        pending: rest,
        toExecute: null,
      };
    }
    const r = await deps.gateway.call(p.tool, p.args);
    const rec = deps.approvals.finishExecution(p.approvalId, { ok: r.ok, result: r.data ?? r.text });
    deps.audit.append({
      type: r.ok ? 'tool.executed' : 'tool.failed',
      actor: rec.decidedBy ?? 'host',
      conversation: state.conversation,
      subject: p.approvalId,
      data: { server: p.server, tool: p.tool, args: p.args, digest, ok: r.ok, result: r.data ?? r.text },
    });
    const outcome = {
      approval: { id: rec.id, status: rec.status, decidedBy: rec.decidedBy },
      result: r.data ?? r.text,
    };
    return {
      messages: [
        new ToolMessage({
          tool_call_id: p.toolCallId,
          name: p.tool,
          status: r.ok ? 'success' : 'error',
          content: json(outcome),
        }),
      ],
      pending: rest,
      toExecute: null,
    };
  }

  return new StateGraph(CopilotState)
    .addNode('agent', agent)
    .addNode('tools', tools)
    .addNode('policy', policy)
    .addNode('approval', approval)
    .addNode('execute', execute)
    .addEdge(START, 'agent')
    .addConditionalEdges(
      'agent',
      (s: State) => ((lastAi(s.messages)?.tool_calls?.length ?? 0) > 0 ? 'tools' : END),
      ['tools', END],
    )
    .addConditionalEdges('tools', (s: State) => (s.proposed.length > 0 ? 'policy' : 'agent'), [
      'policy',
      'agent',
    ])
    .addConditionalEdges('policy', (s: State) => (s.pending.length > 0 ? 'approval' : 'agent'), [
      'approval',
      'agent',
    ])
    .addConditionalEdges(
      'approval',
      (s: State) => (s.toExecute ? 'execute' : s.pending.length > 0 ? 'approval' : 'agent'),
      ['execute', 'approval', 'agent'],
    )
    .addConditionalEdges('execute', (s: State) => (s.pending.length > 0 ? 'approval' : 'agent'), [
      'approval',
      'agent',
    ])
    .compile({ checkpointer: deps.checkpointer });
}

export type CopilotGraph = ReturnType<typeof buildCopilotGraph>;

export interface TurnOutcome {
  conversation: string;
  reply: string;
  /** Approvals this conversation is waiting for (created this turn or earlier). */
  waitingFor: string[];
}

/** Serialises work per conversation: one graph run per thread at a time. */
class KeyedMutex {
  private tails = new Map<string, Promise<unknown>>();
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** The chat service every channel feeds: one graph, one thread per conversation. */
export function createCopilot(deps: CopilotDeps & { describeApproval: (a: ApprovalRecord) => string }) {
  const graph = buildCopilotGraph(deps);
  const lock = new KeyedMutex();
  const config = (conversation: string) => ({
    configurable: { thread_id: conversation },
    recursionLimit: 60,
  });

  /** One read of the thread's checkpoint: what it waits for and how long its transcript is. */
  async function threadState(conversation: string) {
    const snap = await graph.getState(config(conversation));
    const values = snap.values as State;
    const waitingFor = snap.next.includes('approval') ? (values.pending ?? []).map((p) => p.approvalId) : [];
    return { waitingFor, messages: values.messages ?? [] };
  }

  function describeWaiting(ids: string[]): string[] {
    return ids
      .map((id) => deps.approvals.get(id))
      .filter((a): a is ApprovalRecord => a !== undefined)
      .map((a) => `- ${deps.describeApproval(a)}`);
  }

  async function outcome(conversation: string, since: number): Promise<TurnOutcome> {
    const { waitingFor, messages } = await threadState(conversation);
    const parts = messages
      .slice(since)
      .filter((m) => m.type === 'ai')
      .map((m) => m.text)
      .filter((t) => t.trim().length > 0);
    if (waitingFor.length > 0) {
      parts.push(
        [
          'This needs approval before it runs (an approver must approve the exact call below):',
          ...describeWaiting(waitingFor),
        ].join('\n'),
      );
    }
    return { conversation, reply: parts.join('\n\n'), waitingFor };
  }

  return {
    graph,
    /** The approvals a conversation is waiting for (empty when it is not interrupted). */
    async waiting(conversation: string): Promise<string[]> {
      return (await threadState(conversation)).waitingFor;
    },
    async chat(input: { conversation: string; userId: string; text: string }): Promise<TurnOutcome> {
      return lock.run(input.conversation, async () => {
        const before = await threadState(input.conversation);
        if (before.waitingFor.length > 0) {
          return {
            conversation: input.conversation,
            reply: [
              'This conversation is waiting for approval of:',
              ...describeWaiting(before.waitingFor),
              'Approve or reject it first, or start a new conversation.',
            ].join('\n'),
            waitingFor: before.waitingFor,
          };
        }
        await graph.invoke(
          {
            messages: [new HumanMessage(input.text)],
            userId: input.userId,
            conversation: input.conversation,
          },
          config(input.conversation),
        );
        return outcome(input.conversation, before.messages.length);
      });
    },
    /** Resumes a conversation after an approval changed state (approved, rejected, expired). */
    async resume(conversation: string, approvalId: string): Promise<TurnOutcome> {
      return lock.run(conversation, async () => {
        const before = await threadState(conversation);
        if (!before.waitingFor.includes(approvalId)) {
          return { conversation, reply: '', waitingFor: before.waitingFor };
        }
        await graph.invoke(
          new Command({ resume: { approvalId } satisfies ApprovalResume }),
          config(conversation),
        );
        return outcome(conversation, before.messages.length);
      });
    },
  };
}

export type Copilot = ReturnType<typeof createCopilot>;
