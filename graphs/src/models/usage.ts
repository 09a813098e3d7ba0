import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import type { BaseMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';

/**
 * Token usage and cost accounting for chat-model calls.
 *
 * Tokens come from LangChain's `AIMessage.usage_metadata`, which both provider packages fill
 * from the provider's own `usage` block. Note the conventions:
 * - `input_tokens` INCLUDES cached tokens. Anthropic reports `input_tokens`,
 *   `cache_creation_input_tokens` and `cache_read_input_tokens` separately and
 *   @langchain/anthropic sums them into `input_tokens`, keeping the parts in
 *   `input_token_details.cache_creation` / `cache_read`. OpenAI's `prompt_tokens` already
 *   includes `prompt_tokens_details.cached_tokens` (→ `input_token_details.cache_read`).
 * - So the uncached input is `input_tokens - cache_read - cache_creation`.
 */

/** Prices in USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Price of input tokens served from the prompt cache; defaults to `input`. */
  cacheRead?: number;
  /** Price of input tokens written to the prompt cache (Anthropic, 5-minute TTL); defaults to `input`. */
  cacheWrite?: number;
}

export interface PriceTable {
  /** The day these prices were compiled; costs are estimates as of that day. */
  asOf: string;
  /** Provider → model alias (no dated snapshot suffix) → price. */
  models: Readonly<Record<string, Readonly<Record<string, ModelPrice>>>>;
  /** Providers that cost nothing per token (the offline planner). */
  freeProviders: readonly string[];
}

const anthropic = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite: input * 1.25,
});

/**
 * A small, dated price table. Sources: Anthropic's pricing page (platform.claude.com/docs/en/
 * about-claude/pricing: base input, 5m cache writes = 1.25×, cache hits = 0.1×, output) and
 * OpenAI's pricing page (developers.openai.com/api/docs/pricing: input, cached input, output),
 * as quoted by public copies of those pages. Only models whose prices agree across sources are
 * listed; anything else is priced `null` (unknown), never 0. Long-context surcharges, batch
 * discounts, data-residency multipliers and 1-hour cache writes are not modelled.
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  asOf: '2026-11-27',
  models: {
    anthropic: {
      'claude-opus-5': anthropic(5, 25),
      'claude-opus-4-8': anthropic(5, 25),
      'claude-opus-4-7': anthropic(5, 25),
      'claude-opus-4-6': anthropic(5, 25),
      'claude-opus-4-5': anthropic(5, 25),
      'claude-opus-4-1': anthropic(15, 75),
      'claude-opus-4-0': anthropic(15, 75),
      'claude-opus-4': anthropic(15, 75),
      'claude-sonnet-4-6': anthropic(3, 15),
      'claude-sonnet-4-5': anthropic(3, 15),
      'claude-sonnet-4-0': anthropic(3, 15),
      'claude-sonnet-4': anthropic(3, 15),
      'claude-3-7-sonnet': anthropic(3, 15),
      'claude-haiku-4-5': anthropic(1, 5),
      'claude-3-5-haiku': anthropic(0.8, 4),
      'claude-3-haiku': { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 },
    },
    openai: {
      'gpt-5.4': { input: 2.5, cacheRead: 0.25, output: 15 },
      'gpt-5.4-mini': { input: 0.75, cacheRead: 0.075, output: 4.5 },
      'gpt-5.4-nano': { input: 0.2, cacheRead: 0.02, output: 1.25 },
      'gpt-5': { input: 1.25, cacheRead: 0.125, output: 10 },
      'gpt-5-mini': { input: 0.25, cacheRead: 0.025, output: 2 },
      'gpt-5-nano': { input: 0.05, cacheRead: 0.005, output: 0.4 },
      'gpt-4.1': { input: 2, cacheRead: 0.5, output: 8 },
      'gpt-4.1-mini': { input: 0.4, cacheRead: 0.1, output: 1.6 },
      'gpt-4.1-nano': { input: 0.1, cacheRead: 0.025, output: 0.4 },
      'gpt-4o': { input: 2.5, cacheRead: 1.25, output: 10 },
      // The first gpt-4o snapshot kept its launch price.
      'gpt-4o-2024-05-13': { input: 5, output: 15 },
      'gpt-4o-mini': { input: 0.15, cacheRead: 0.075, output: 0.6 },
    },
  },
  freeProviders: ['offline'],
};

/** Strips a dated snapshot suffix: `gpt-4.1-mini-2025-04-14` → `gpt-4.1-mini`, `claude-haiku-4-5-20251001` → `claude-haiku-4-5`. */
export function modelAlias(model: string): string {
  return model.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '');
}

/** The price of a model, or `null` when the table does not know it. Exact alias match only. */
export function lookupPrice(
  provider: string,
  model: string,
  table: PriceTable = DEFAULT_PRICE_TABLE,
): ModelPrice | null {
  const models = table.models[provider];
  if (!models) return null;
  return models[model] ?? models[modelAlias(model)] ?? null;
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  /** Part of `inputTokens` served from the prompt cache. */
  cacheReadTokens: number;
  /** Part of `inputTokens` written to the prompt cache. */
  cacheWriteTokens: number;
}

/** Cost in USD of the given tokens; `null` when the model's price is unknown. */
export function estimateCostUsd(
  provider: string,
  model: string,
  tokens: TokenCounts,
  table: PriceTable = DEFAULT_PRICE_TABLE,
): number | null {
  if (table.freeProviders.includes(provider)) return 0;
  const price = lookupPrice(provider, model, table);
  if (!price) return null;
  const uncached = Math.max(0, tokens.inputTokens - tokens.cacheReadTokens - tokens.cacheWriteTokens);
  const micro =
    uncached * price.input +
    tokens.cacheReadTokens * (price.cacheRead ?? price.input) +
    tokens.cacheWriteTokens * (price.cacheWrite ?? price.input) +
    tokens.outputTokens * price.output;
  return micro / 1_000_000;
}

/** One model call's usage, as recorded. */
export interface UsageRecord extends TokenCounts {
  provider: string;
  model: string;
  costUsd: number | null;
}

export interface ModelUsage extends TokenCounts {
  provider: string;
  model: string;
  calls: number;
  /** `null` when the model is not in the price table. */
  costUsd: number | null;
}

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Sum over models; `null` as soon as any model that used tokens has no known price. */
  costUsd: number | null;
  /** Models with usage but no price (so `costUsd` is null). */
  unpricedModels: string[];
  byModel: ModelUsage[];
  priceTableAsOf: string;
}

export interface UsageSource {
  provider: string;
  model: string;
}

export interface UsageTracker {
  /** A LangChain callback handler; pass it in `callbacks` of the model or of the graph invocation. */
  readonly handler: BaseCallbackHandler;
  /** Records the usage carried by a message (an AIMessage with `usage_metadata`). Returns what it recorded. */
  record(message: BaseMessage, source: UsageSource): UsageRecord | null;
  totals(): UsageTotals;
  reset(): void;
}

export interface UsageTrackerOptions {
  prices?: PriceTable;
  /** Called for every recorded model call (for example to increment Prometheus counters). */
  onRecord?: (record: UsageRecord) => void;
}

/**
 * A network-free token estimate (4 characters a token), used in place of LangChain's
 * `getNumTokens`, which downloads tiktoken ranks from the internet on first use and hangs where
 * there is no egress. Only estimates use it; reported usage always comes from the provider.
 */
export function approximateTokenCount(content: unknown): number {
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content
            .map((part: unknown) =>
              typeof part === 'string'
                ? part
                : typeof part === 'object' &&
                    part !== null &&
                    typeof (part as { text?: unknown }).text === 'string'
                  ? (part as { text: string }).text
                  : '',
            )
            .join('')
        : '';
  return Math.ceil(text.length / 4);
}

/** Metadata keys our adapters put on every model run, so the tracker can tell providers apart. */
export const USAGE_METADATA_PROVIDER = 'devops_ai_provider';
export const USAGE_METADATA_MODEL = 'devops_ai_model';

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

interface UsageMetadataLike {
  input_tokens?: unknown;
  output_tokens?: unknown;
  input_token_details?: { cache_read?: unknown; cache_creation?: unknown };
}

function usageOf(message: BaseMessage): TokenCounts | null {
  const usage = (message as { usage_metadata?: UsageMetadataLike }).usage_metadata;
  if (!usage) return null;
  return {
    inputTokens: num(usage.input_tokens),
    outputTokens: num(usage.output_tokens),
    cacheReadTokens: num(usage.input_token_details?.cache_read),
    cacheWriteTokens: num(usage.input_token_details?.cache_creation),
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

class UsageCallbackHandler extends BaseCallbackHandler {
  name = 'devops_ai_usage';
  readonly #runs = new Map<string, UsageSource>();
  readonly #record: (message: BaseMessage, source: UsageSource) => unknown;

  constructor(record: (message: BaseMessage, source: UsageSource) => unknown) {
    // Await the handler so that totals() is complete as soon as invoke() resolves.
    super({ _awaitHandler: true });
    this.#record = record;
  }

  override handleChatModelStart(
    _llm: Serialized,
    _messages: BaseMessage[][],
    runId: string,
    _parentRunId?: string,
    _extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    const provider = str(metadata?.[USAGE_METADATA_PROVIDER]) ?? str(metadata?.ls_provider) ?? 'unknown';
    const model = str(metadata?.[USAGE_METADATA_MODEL]) ?? str(metadata?.ls_model_name) ?? 'unknown';
    this.#runs.set(runId, { provider, model });
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    const source = this.#runs.get(runId);
    this.#runs.delete(runId);
    if (!source) return;
    for (const batch of output.generations) {
      for (const generation of batch) {
        const message = (generation as { message?: BaseMessage }).message;
        if (message) this.#record(message, source);
      }
    }
  }

  override handleLLMError(_err: unknown, runId: string): void {
    this.#runs.delete(runId);
  }
}

/**
 * Accumulates tokens and estimated cost per provider/model. One tracker per scope you want to
 * measure (the host process, one eval run).
 */
export function createUsageTracker(options: UsageTrackerOptions = {}): UsageTracker {
  const prices = options.prices ?? DEFAULT_PRICE_TABLE;
  const byKey = new Map<string, ModelUsage>();

  const record = (message: BaseMessage, source: UsageSource): UsageRecord | null => {
    const tokens = usageOf(message);
    if (!tokens) return null;
    const costUsd = estimateCostUsd(source.provider, source.model, tokens, prices);
    const entry = byKey.get(`${source.provider}\u0000${source.model}`) ?? {
      provider: source.provider,
      model: source.model,
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
    };
    entry.calls += 1;
    entry.inputTokens += tokens.inputTokens;
    entry.outputTokens += tokens.outputTokens;
    entry.cacheReadTokens += tokens.cacheReadTokens;
    entry.cacheWriteTokens += tokens.cacheWriteTokens;
    entry.costUsd = entry.costUsd === null || costUsd === null ? null : entry.costUsd + costUsd;
    byKey.set(`${source.provider}\u0000${source.model}`, entry);
    const result: UsageRecord = { ...source, ...tokens, costUsd };
    options.onRecord?.(result);
    return result;
  };

  const totals = (): UsageTotals => {
    const byModel = [...byKey.values()].map((entry) => ({ ...entry }));
    const inputTokens = byModel.reduce((sum, m) => sum + m.inputTokens, 0);
    const outputTokens = byModel.reduce((sum, m) => sum + m.outputTokens, 0);
    const unpricedModels = byModel
      .filter((m) => m.costUsd === null && m.inputTokens + m.outputTokens > 0)
      .map((m) => `${m.provider}:${m.model}`);
    return {
      calls: byModel.reduce((sum, m) => sum + m.calls, 0),
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      costUsd: unpricedModels.length > 0 ? null : byModel.reduce((sum, m) => sum + (m.costUsd ?? 0), 0),
      unpricedModels,
      byModel,
      priceTableAsOf: prices.asOf,
    };
  };

  return {
    handler: new UsageCallbackHandler(record),
    record,
    totals,
    reset: () => byKey.clear(),
  };
}
