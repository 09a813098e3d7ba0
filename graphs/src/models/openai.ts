import type { CallbackManagerForLLMRun, Callbacks } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import {
  ChatOpenAI,
  ChatOpenAICompletions,
  type ChatOpenAIFields,
  ChatOpenAIResponses,
} from '@langchain/openai';
import OpenAI from 'openai';
import { type ErrorContext, mapProviderError } from './provider-errors.js';
import { approximateTokenCount, USAGE_METADATA_MODEL, USAGE_METADATA_PROVIDER } from './usage.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * A placeholder bearer for OpenAI-compatible servers that need no key: the SDK refuses to
 * build a client without one, and the Authorization header is then removed from every request.
 */
const NO_KEY = 'devops-ai-no-key';

export interface OpenAIModelOptions {
  model: string;
  apiKey: string;
  baseURL?: string | undefined;
  organization?: string | undefined;
  maxTokens?: number | undefined;
  /** Defaults to 0, except for reasoning models (o-series, gpt-5 family) that only accept the default. */
  temperature?: number | undefined;
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** Retries done by the SDK (429, 408, 409, 5xx, connection errors), honouring `retry-after(-ms)`. */
  maxRetries: number;
  streaming?: boolean | undefined;
  /** Callback handlers attached to every call (e.g. a usage tracker's handler). */
  callbacks?: Callbacks | undefined;
}

export interface OpenAICompatibleModelOptions {
  baseURL: string;
  model: string;
  /** Sent as `Authorization: Bearer <key>`; without it no Authorization header is sent. */
  apiKey?: string | undefined;
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  timeoutMs: number;
  maxRetries: number;
  streaming?: boolean | undefined;
  /** Callback handlers attached to every call (e.g. a usage tracker's handler). */
  callbacks?: Callbacks | undefined;
}

/**
 * OpenAI rejects a non-default temperature on reasoning models. Mirrors the rule
 * @langchain/openai 1.6 uses to recognise them (`o<digit>…`, `gpt-5…` except `gpt-5-chat…`).
 */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (/^gpt-[5-9]/.test(model) && !/^gpt-\d+(\.\d+)?-chat/.test(model));
}

/**
 * Chat Completions with a network-free token estimate: with `streaming: true`,
 * ChatOpenAICompletions estimates prompt tokens through `getNumTokens`, which would download
 * tiktoken ranks (and hang without egress). Reported usage still comes from the stream's usage
 * chunk.
 */
class OfflineTokenCountCompletions extends ChatOpenAICompletions {
  override async getNumTokens(
    content: Parameters<ChatOpenAICompletions['getNumTokens']>[0],
  ): Promise<number> {
    return approximateTokenCount(content);
  }
}

/**
 * ChatOpenAI (Chat Completions by default; LangChain routes the few Responses-only models to
 * the Responses API) with SDK errors mapped to our coded errors.
 */
export class DevopsAiChatOpenAI extends ChatOpenAI {
  readonly #errors: ErrorContext;

  constructor(fields: ChatOpenAIFields, errors: ErrorContext) {
    super(fields);
    this.#errors = errors;
  }

  override async getNumTokens(content: Parameters<ChatOpenAI['getNumTokens']>[0]): Promise<number> {
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
  ): ReturnType<ChatOpenAI['_streamChatModelEvents']> {
    try {
      yield* super._streamChatModelEvents(messages, options, runManager);
    } catch (err) {
      throw mapProviderError(err, this.#errors);
    }
  }
}

/**
 * Chat Completions only (`POST {baseURL}/chat/completions`): the one API every
 * OpenAI-compatible server (vLLM, Ollama, LiteLLM, llama.cpp…) implements.
 */
export class DevopsAiChatOpenAICompletions extends OfflineTokenCountCompletions {
  readonly #errors: ErrorContext;

  constructor(fields: ChatOpenAIFields, client: OpenAI, errors: ErrorContext) {
    super(fields);
    this.client = client;
    this.#errors = errors;
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
  ): ReturnType<ChatOpenAICompletions['_streamChatModelEvents']> {
    try {
      yield* super._streamChatModelEvents(messages, options, runManager);
    } catch (err) {
      throw mapProviderError(err, this.#errors);
    }
  }
}

interface ClientSettings {
  apiKey: string | undefined;
  baseURL: string;
  organization?: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * The `openai` SDK client, with every setting explicit so that nothing comes from the
 * environment (OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_ADMIN_KEY…).
 */
function createClient(settings: ClientSettings): OpenAI {
  return new OpenAI({
    apiKey: settings.apiKey ?? NO_KEY,
    adminAPIKey: null,
    organization: settings.organization ?? null,
    project: null,
    webhookSecret: null,
    baseURL: settings.baseURL,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    logLevel: 'warn',
    ...(settings.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
  });
}

function commonFields(
  provider: 'openai' | 'openai-compatible',
  options: {
    model: string;
    apiKey?: string | undefined;
    baseURL: string;
    maxTokens?: number | undefined;
    temperature?: number | undefined;
    timeoutMs: number;
    streaming?: boolean | undefined;
    callbacks?: Callbacks | undefined;
  },
): ChatOpenAIFields {
  const temperature =
    options.temperature ?? (provider === 'openai' && isOpenAIReasoningModel(options.model) ? undefined : 0);
  return {
    model: options.model,
    apiKey: options.apiKey ?? NO_KEY,
    configuration: { baseURL: options.baseURL },
    ...(temperature === undefined ? {} : { temperature }),
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    timeout: options.timeoutMs,
    // Only set when true: `streaming: false` makes ChatOpenAI disable streaming altogether, also the
    // token streaming LangGraph asks for with streamMode "messages".
    ...(options.streaming ? { streaming: true } : {}),
    // The SDK retries (honouring retry-after); LangChain's retry layer on top would multiply attempts.
    maxRetries: 0,
    metadata: { [USAGE_METADATA_PROVIDER]: provider, [USAGE_METADATA_MODEL]: options.model },
    ...(options.callbacks ? { callbacks: options.callbacks } : {}),
  };
}

export function createOpenAIModel(options: OpenAIModelOptions): DevopsAiChatOpenAI {
  const baseURL = options.baseURL ?? OPENAI_DEFAULT_BASE_URL;
  const client = createClient({ ...options, baseURL });
  const fields = commonFields('openai', { ...options, baseURL });
  // ChatOpenAI delegates to one Chat Completions and one Responses implementation; both get
  // our client (the `client` field is public and only created lazily when absent).
  const completions = new OfflineTokenCountCompletions(fields);
  completions.client = client;
  const responses = new ChatOpenAIResponses(fields);
  responses.client = client;
  return new DevopsAiChatOpenAI(
    { ...fields, completions, responses },
    { provider: 'openai', model: options.model, keyHint: 'OPENAI_API_KEY', secrets: [options.apiKey] },
  );
}

export function createOpenAICompatibleModel(
  options: OpenAICompatibleModelOptions,
): DevopsAiChatOpenAICompletions {
  const client = createClient({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  return new DevopsAiChatOpenAICompletions(commonFields('openai-compatible', options), client, {
    provider: 'openai-compatible',
    model: options.model,
    keyHint: 'OPENAI_COMPATIBLE_API_KEY',
    secrets: options.apiKey ? [options.apiKey] : [],
  });
}
