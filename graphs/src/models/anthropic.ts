import Anthropic from '@anthropic-ai/sdk';
import { ChatAnthropic, type ChatAnthropicInput } from '@langchain/anthropic';
import type { CallbackManagerForLLMRun, Callbacks } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import { type ErrorContext, mapProviderError, ProviderConfigError } from './provider-errors.js';
import { approximateTokenCount, USAGE_METADATA_MODEL, USAGE_METADATA_PROVIDER } from './usage.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicModelOptions {
  model: string;
  apiKey: string;
  baseURL?: string | undefined;
  maxTokens?: number | undefined;
  /** Defaults to 0; left out for models that only accept the default (adaptive-thinking models). */
  temperature?: number | undefined;
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** Retries done by the SDK (429, 408, 409, 5xx, 529, connection errors), honouring `retry-after(-ms)`. */
  maxRetries: number;
  /** Stream every call over SSE instead of using the JSON response. */
  streaming?: boolean | undefined;
  /** Callback handlers attached to every call (e.g. a usage tracker's handler). */
  callbacks?: Callbacks | undefined;
}

/**
 * ChatAnthropic whose SDK errors are mapped to our coded errors. Tool binding, message
 * conversion and streaming are the library's; only failures are translated.
 */
export class DevopsAiChatAnthropic extends ChatAnthropic {
  readonly #errors: ErrorContext;

  constructor(fields: ChatAnthropicInput, errors: ErrorContext) {
    super(fields);
    this.#errors = errors;
  }

  /** A network-free estimate; LangChain's default downloads tiktoken ranks (a GPT tokenizer anyway). */
  override async getNumTokens(content: Parameters<ChatAnthropic['getNumTokens']>[0]): Promise<number> {
    return approximateTokenCount(content);
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    try {
      return await super._generate(messages, options, runManager);
    } catch (err) {
      throw mapProviderError(err, this.#errors);
    }
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    try {
      yield* super._streamResponseChunks(messages, options, runManager);
    } catch (err) {
      throw mapProviderError(err, this.#errors);
    }
  }

  override async *_streamChatModelEvents(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): ReturnType<ChatAnthropic['_streamChatModelEvents']> {
    try {
      yield* super._streamChatModelEvents(messages, options, runManager);
    } catch (err) {
      throw mapProviderError(err, this.#errors);
    }
  }
}

/**
 * Builds the Anthropic chat model. The `@anthropic-ai/sdk` client is constructed here, with
 * every setting explicit, so that nothing is picked up from the environment
 * (ANTHROPIC_BASE_URL, ANTHROPIC_AUTH_TOKEN, LangSmith gateway variables).
 */
export function createAnthropicModel(options: AnthropicModelOptions): DevopsAiChatAnthropic {
  const baseURL = options.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL;
  const client = new Anthropic({
    apiKey: options.apiKey,
    authToken: null,
    baseURL,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    logLevel: 'warn',
  });
  const errors: ErrorContext = {
    provider: 'anthropic',
    model: options.model,
    keyHint: 'ANTHROPIC_API_KEY',
    secrets: [options.apiKey],
  };
  const build = (temperature: number | undefined) =>
    new DevopsAiChatAnthropic(
      {
        model: options.model,
        apiKey: options.apiKey,
        anthropicApiUrl: baseURL,
        maxTokens: options.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        ...(temperature === undefined ? {} : { temperature }),
        streaming: options.streaming ?? false,
        // The SDK retries (it honours retry-after and x-should-retry); LangChain's own retry
        // layer on top would multiply attempts and add its own backoff, so it is off.
        maxRetries: 0,
        createClient: () => client,
        metadata: { [USAGE_METADATA_PROVIDER]: 'anthropic', [USAGE_METADATA_MODEL]: options.model },
        ...(options.callbacks ? { callbacks: options.callbacks } : {}),
      },
      errors,
    );

  if (options.temperature !== undefined) {
    const model = build(options.temperature);
    try {
      model.invocationParams({} as DevopsAiChatAnthropic['ParsedCallOptions']);
    } catch (err) {
      throw new ProviderConfigError(
        `anthropic model ${options.model}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return model;
  }
  // Temperature 0 by default, for reproducible plans. Some models (adaptive-thinking ones) only
  // accept the default sampling parameters; @langchain/anthropic knows which and refuses the
  // others, so ask it rather than keep our own list.
  const model = build(0);
  try {
    model.invocationParams({} as DevopsAiChatAnthropic['ParsedCallOptions']);
    return model;
  } catch {
    return build(undefined);
  }
}
