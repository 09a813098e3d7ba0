import { createUsageTracker, type UsageTotals, type UsageTracker } from '@devops-ai/graphs';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { registerConfigureHook, setContextVariable } from '@langchain/core/context';

/**
 * Token and cost accounting for an eval run without a hook in the host: LangChain lets a context
 * variable carry a callback handler into every run started below it (the same mechanism LangSmith
 * uses), so each scenario runs with its own `createUsageTracker` handler in context.
 */

const CONTEXT_VAR = 'devops_ai_eval_usage';
registerConfigureHook({ contextVar: CONTEXT_VAR, inheritable: true });

/**
 * Forwards to a tracker's handler under another name: LangChain keeps one handler per name, and
 * the host's own usage handler (same class, same name) is already attached to provider models.
 */
class EvalUsageHandler extends BaseCallbackHandler {
  name = 'devops_ai_eval_usage';
  constructor(private readonly inner: BaseCallbackHandler) {
    super({ _awaitHandler: true });
  }
  override handleChatModelStart(
    ...args: Parameters<NonNullable<BaseCallbackHandler['handleChatModelStart']>>
  ) {
    return this.inner.handleChatModelStart?.(...args);
  }
  override handleLLMEnd(...args: Parameters<NonNullable<BaseCallbackHandler['handleLLMEnd']>>) {
    return this.inner.handleLLMEnd?.(...args);
  }
  override handleLLMError(...args: Parameters<NonNullable<BaseCallbackHandler['handleLLMError']>>) {
    return this.inner.handleLLMError?.(...args);
  }
}

/** Runs `fn` with a fresh usage tracker in LangChain's context; returns its result and the totals. */
export async function withUsage<T>(
  fn: (tracker: UsageTracker) => Promise<T>,
): Promise<{ value: T; usage: UsageTotals }> {
  const tracker = createUsageTracker();
  const run = async () => {
    setContextVariable(CONTEXT_VAR, new EvalUsageHandler(tracker.handler));
    return fn(tracker);
  };
  const value = await run();
  return { value, usage: tracker.totals() };
}
