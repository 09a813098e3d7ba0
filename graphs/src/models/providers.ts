import type { Callbacks } from '@langchain/core/callbacks/manager';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { z } from 'zod';
import { createAnthropicModel } from './anthropic.js';
import { createOpenAICompatibleModel, createOpenAIModel } from './openai.js';
import { ProviderConfigError, type ProviderName } from './provider-errors.js';

/**
 * LLM provider adapters selected by configuration: Anthropic (Messages API), OpenAI (Chat
 * Completions) and any OpenAI-compatible server (Chat Completions at a base URL).
 *
 * Nothing here reads `process.env`: `parseModelSpec` takes the environment as an argument and
 * the SDK clients are built with every setting explicit.
 */

const modelName = z
  .string()
  .trim()
  .min(1, 'model name is empty')
  .max(200)
  .regex(/^[\w.:/@+-]+$/, 'model name has characters outside [A-Za-z0-9_.:/@+-]');

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
      );
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials')
  .transform((value) => value.replace(/\/+$/, ''));

const apiKey = z.string().trim().min(1, 'API key is empty');

/** Per-attempt timeout and SDK retries: the same knobs for every provider. */
const transport = {
  timeoutMs: z.number().int().min(1_000).max(600_000).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  /** Stream over SSE. Off by default; LangChain streams anyway when a streaming callback is attached. */
  streaming: z.boolean().optional(),
};

export const providerModelConfigSchema = z.discriminatedUnion('provider', [
  z
    .object({
      provider: z.literal('anthropic'),
      model: modelName,
      apiKey,
      baseURL: httpUrl.optional(),
      maxTokens: z.number().int().positive().max(1_000_000).optional(),
      temperature: z.number().min(0).max(1).optional(),
      ...transport,
    })
    .strict(),
  z
    .object({
      provider: z.literal('openai'),
      model: modelName,
      apiKey,
      baseURL: httpUrl.optional(),
      organization: z.string().trim().min(1).optional(),
      maxTokens: z.number().int().positive().max(1_000_000).optional(),
      temperature: z.number().min(0).max(2).optional(),
      ...transport,
    })
    .strict(),
  z
    .object({
      provider: z.literal('openai-compatible'),
      baseURL: httpUrl,
      model: modelName,
      apiKey: apiKey.optional(),
      maxTokens: z.number().int().positive().max(1_000_000).optional(),
      temperature: z.number().min(0).max(2).optional(),
      ...transport,
    })
    .strict(),
]);

export type ProviderModelConfigInput = z.input<typeof providerModelConfigSchema>;
export type ProviderModelConfig = z.output<typeof providerModelConfigSchema>;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

/** Environment variables each provider's key is read from by `parseModelSpec`. */
export const PROVIDER_KEY_ENV: Readonly<Record<ProviderName, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_API_KEY',
};

const SPEC_FORMS = 'anthropic:<model>, openai:<model> or openai-compatible:<baseURL>#<model>';

/** Validates a config object; the error lists fields and reasons, never values (keys stay out of it). */
export function parseProviderModelConfig(input: unknown): ProviderModelConfig {
  const result = providerModelConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'config';
    // Only the issue's own message: zod 4 does not put input values into it.
    return `${path}: ${issue.message}`;
  });
  throw new ProviderConfigError(`invalid model provider configuration: ${problems.join('; ')}`, {
    fields: result.error.issues.map((issue) => issue.path.join('.')),
  });
}

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function missingKey(provider: ProviderName, spec: string): ProviderConfigError {
  const variable = PROVIDER_KEY_ENV[provider];
  return new ProviderConfigError(`--model ${spec} needs an API key: set ${variable}`, {
    provider,
    variable,
  });
}

/**
 * Parses the CLI form of a model choice: `anthropic:<model>`, `openai:<model>` or
 * `openai-compatible:<baseURL>#<model>` (the model after the last `#`). Keys come from `env`
 * (ANTHROPIC_API_KEY, OPENAI_API_KEY, OPENAI_COMPATIBLE_API_KEY; the last one optional).
 * `offline` is not a provider here: the caller handles it before calling this.
 */
export function parseModelSpec(spec: string, env: Record<string, string | undefined>): ProviderModelConfig {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(':');
  const provider = colon > 0 ? trimmed.slice(0, colon) : trimmed;
  const rest = colon > 0 ? trimmed.slice(colon + 1) : '';
  switch (provider) {
    case 'anthropic': {
      const key = envValue(env, PROVIDER_KEY_ENV.anthropic);
      if (!rest)
        throw new ProviderConfigError(`--model ${trimmed}: missing model name (expected ${SPEC_FORMS})`);
      if (!key) throw missingKey('anthropic', trimmed);
      return parseProviderModelConfig({ provider, model: rest, apiKey: key });
    }
    case 'openai': {
      const key = envValue(env, PROVIDER_KEY_ENV.openai);
      if (!rest)
        throw new ProviderConfigError(`--model ${trimmed}: missing model name (expected ${SPEC_FORMS})`);
      if (!key) throw missingKey('openai', trimmed);
      return parseProviderModelConfig({ provider, model: rest, apiKey: key });
    }
    case 'openai-compatible': {
      const hash = rest.lastIndexOf('#');
      if (hash <= 0 || hash === rest.length - 1) {
        throw new ProviderConfigError(
          `--model ${trimmed}: expected openai-compatible:<baseURL>#<model>, e.g. openai-compatible:http://127.0.0.1:11434/v1#llama3.1:8b`,
        );
      }
      const key = envValue(env, PROVIDER_KEY_ENV['openai-compatible']);
      return parseProviderModelConfig({
        provider,
        baseURL: rest.slice(0, hash),
        model: rest.slice(hash + 1),
        ...(key ? { apiKey: key } : {}),
      });
    }
    default:
      throw new ProviderConfigError(
        `unknown model provider "${provider.slice(0, 40)}": expected ${SPEC_FORMS}`,
      );
  }
}

/** A chat model that can bind tools, as the graph's model node needs. */
export type ProviderChatModel = BaseChatModel & { bindTools: NonNullable<BaseChatModel['bindTools']> };

export interface CreateProviderModelOptions {
  /** Handlers attached to every call of the model, e.g. `[usageTracker.handler]`. */
  callbacks?: Callbacks;
}

/**
 * Builds the LangChain chat model for a provider config (validated here, again, so a config
 * from any source is safe). Temperature 0 unless configured; 60 s per attempt; 2 SDK retries.
 */
export function createProviderModel(
  input: ProviderModelConfigInput,
  options: CreateProviderModelOptions = {},
): ProviderChatModel {
  const config = parseProviderModelConfig(input);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
  const callbacks = options.callbacks;
  switch (config.provider) {
    case 'anthropic':
      return createAnthropicModel({
        model: config.model,
        apiKey: config.apiKey,
        baseURL: config.baseURL,
        maxTokens: config.maxTokens,
        temperature: config.temperature,
        streaming: config.streaming,
        timeoutMs,
        maxRetries,
        callbacks,
      });
    case 'openai':
      return createOpenAIModel({
        model: config.model,
        apiKey: config.apiKey,
        baseURL: config.baseURL,
        organization: config.organization,
        maxTokens: config.maxTokens,
        temperature: config.temperature,
        streaming: config.streaming,
        timeoutMs,
        maxRetries,
        callbacks,
      });
    case 'openai-compatible':
      return createOpenAICompatibleModel({
        baseURL: config.baseURL,
        model: config.model,
        apiKey: config.apiKey,
        maxTokens: config.maxTokens,
        temperature: config.temperature,
        streaming: config.streaming,
        timeoutMs,
        maxRetries,
        callbacks,
      });
  }
}

/** A label for reports and logs: `anthropic:claude-sonnet-4-5`, never a key. */
export function describeProviderModel(config: ProviderModelConfig): string {
  return config.provider === 'openai-compatible'
    ? `openai-compatible:${config.baseURL}#${config.model}`
    : `${config.provider}:${config.model}`;
}

export { DevopsAiChatAnthropic } from './anthropic.js';
export { DevopsAiChatOpenAI, DevopsAiChatOpenAICompletions, isOpenAIReasoningModel } from './openai.js';
export {
  mapProviderError,
  ProviderAuthError,
  ProviderCallError,
  type ProviderCallErrorDetails,
  ProviderConfigError,
  type ProviderName,
} from './provider-errors.js';
export {
  createUsageTracker,
  DEFAULT_PRICE_TABLE,
  estimateCostUsd,
  lookupPrice,
  type ModelPrice,
  type ModelUsage,
  modelAlias,
  type PriceTable,
  type TokenCounts,
  type UsageRecord,
  type UsageSource,
  type UsageTotals,
  type UsageTracker,
  type UsageTrackerOptions,
} from './usage.js';
