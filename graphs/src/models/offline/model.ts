import { createHash } from 'node:crypto';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseChatModelCallOptions, BindToolsInput } from '@langchain/core/language_models/chat_models';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { answer } from './answers.js';
import { type Intent, MUTATING_INTENTS, parseIntents } from './intents.js';
import { type PlannedCall, step, TurnContext, type TurnResult } from './planner.js';

export interface OfflineCallOptions extends BaseChatModelCallOptions {
  tools?: Array<{ type?: string; function?: { name: string }; name?: string }>;
}

/** Reads: every intent that is not a change, a refusal, help or not understood. */
const isRead = (kind: Intent['kind']) =>
  !MUTATING_INTENTS.has(kind) && kind !== 'refuse' && kind !== 'help' && kind !== 'unknown';

/** Most model calls one turn may take before the offline model answers with what it has. */
const MAX_STEPS = 6;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads the current turn back from the transcript: the user's words and the tool results since. */
export function readTurn(messages: BaseMessage[]): {
  request: string;
  results: TurnResult[];
  steps: number;
  turnIndex: number;
} {
  let start = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.type === 'human') {
      start = i;
      break;
    }
  }
  const request = start >= 0 ? (messages[start] as BaseMessage).text : '';
  const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
  const results: TurnResult[] = [];
  let steps = 0;
  for (const m of messages.slice(start + 1)) {
    if (AIMessage.isInstance(m)) {
      steps++;
      for (const tc of m.tool_calls ?? []) if (tc.id) calls.set(tc.id, { name: tc.name, args: tc.args });
    } else if (ToolMessage.isInstance(m)) {
      const call = calls.get(m.tool_call_id);
      if (!call) continue;
      const text = m.text;
      const data = parseJson(text);
      const hasError = typeof data === 'object' && data !== null && 'error' in data;
      results.push({ tool: call.name, args: call.args, ok: m.status !== 'error' && !hasError, text, data });
    }
  }
  return { request, results, steps, turnIndex: start };
}

/**
 * The offline model: a deterministic planner behind LangChain's chat-model interface, with tool
 * calling. It plans tool calls from the user's words only — never from tool output — and answers from
 * the tool results. It is the default model: no key, no network, same answer every time.
 */
export class OfflineChatModel extends BaseChatModel<OfflineCallOptions> {
  static override lc_name() {
    return 'OfflineChatModel';
  }

  override _llmType(): string {
    return 'devops-ai-offline';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<OfflineCallOptions>) {
    return this.withConfig({
      tools: tools.map((t) => convertToOpenAITool(t)),
      ...kwargs,
    } as Partial<OfflineCallOptions>);
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const message = this.plan(messages, options.tools);
    return { generations: [{ text: message.text, message }] };
  }

  plan(messages: BaseMessage[], tools: OfflineCallOptions['tools']): AIMessage {
    const available = new Set((tools ?? []).map((t) => t.function?.name ?? t.name ?? '').filter(Boolean));
    const { request, results, steps, turnIndex } = readTurn(messages);
    const intents = parseIntents(request);
    const ctx = new TurnContext(results, available);

    if (steps < MAX_STEPS) {
      const calls: PlannedCall[] = [];
      const seen = new Set<string>();
      for (const intent of intents) {
        for (const c of step(intent, ctx).calls) {
          if (!available.has(c.name)) continue; // not connected or read-only: the answer says so
          const key = `${c.name}:${JSON.stringify(c.args)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          calls.push(c);
        }
      }
      // Changes wait until every read of the turn is done, so all the changes of one message are
      // proposed together and in the user's order: an approver sees them side by side, and a
      // second change can never get ahead of the first (or be approved in its place).
      const reads = calls.filter((c) => !c.mutates);
      if (reads.length > 0 && reads.length < calls.length) calls.splice(0, calls.length, ...reads);
      if (calls.length > 0) {
        // A refused part of the message is said at once, not only after the approvals of the rest.
        const said = steps === 0 ? intents.filter((i) => i.kind === 'refuse').map((i) => answer(i, ctx)) : [];
        // Changes come last, once every read is done: the reads' answers go out with the approval
        // request ("here is the advice; your change waits for an approver"), not only after it.
        if (calls.every((c) => c.mutates))
          said.push(...intents.filter((i) => isRead(i.kind)).map((i) => answer(i, ctx)));
        return new AIMessage({
          content: said.join('\n\n'),
          tool_calls: calls.map((c, i) => ({
            type: 'tool_call' as const,
            id: `call_${createHash('sha256')
              .update(`${turnIndex}:${steps}:${i}:${c.name}:${JSON.stringify(c.args)}`)
              .digest('hex')
              .slice(0, 20)}`,
            name: c.name,
            args: c.args,
          })),
        });
      }
    }
    const text = intents.map((i) => answer(i, ctx)).join('\n\n');
    return new AIMessage({
      content: text,
    });
  }
}

export function createOfflineModel(): OfflineChatModel {
  return new OfflineChatModel({});
}
