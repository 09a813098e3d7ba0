import { DevopsAiError } from '@devops-ai/core';

/** The LLM providers that have an adapter. `offline` is the lead's deterministic planner. */
export type ProviderName = 'anthropic' | 'openai' | 'openai-compatible';

/**
 * A configuration problem with an LLM provider: a missing or rejected API key, a malformed
 * model spec, an unknown provider. Never carries the key itself.
 */
export class ProviderConfigError extends DevopsAiError {
  override readonly name = 'ProviderConfigError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('config_error', message, details);
  }
}

export interface ProviderCallErrorDetails extends Record<string, unknown> {
  provider: ProviderName;
  model: string;
  /** HTTP status from the provider, absent for connection failures and timeouts. */
  status?: number;
  /** The provider's error type (`rate_limit_error`, `invalid_api_key`…), never its free text for auth errors. */
  providerErrorType?: string;
  /** The provider's request id, for support tickets. */
  requestId?: string;
  /** Whether trying again later may succeed (rate limit, overload, 5xx, timeout, connection). */
  retryable: boolean;
}

/** A call to an LLM provider failed after the SDK's own retries. */
export class ProviderCallError extends DevopsAiError {
  override readonly name = 'ProviderCallError';
  declare readonly details: ProviderCallErrorDetails;
  constructor(message: string, details: ProviderCallErrorDetails) {
    super('backend_error', message, details);
  }
}

/** A provider rejected our credentials (401/403): the operator must fix the configuration. */
export class ProviderAuthError extends DevopsAiError {
  override readonly name = 'ProviderAuthError';
  declare readonly details: ProviderCallErrorDetails;
  constructor(message: string, details: ProviderCallErrorDetails) {
    super('config_error', message, details);
  }
}

export interface ErrorContext {
  provider: ProviderName;
  model: string;
  /** Name of the environment variable the key usually comes from, for the hint in auth errors. */
  keyHint: string;
  /** Secrets that must never appear in a message we build (the API key). */
  secrets: readonly string[];
}

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
const RETRYABLE_STREAM_ERRORS = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'server_error',
]);

function readProp(value: unknown, key: string): unknown {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function readHeader(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = readProp(headers, name);
  return typeof value === 'string' ? value : undefined;
}

/** `error.type` (Anthropic) or `error.code` / `error.type` (OpenAI) from the provider's error body. */
function providerErrorType(err: unknown): string | undefined {
  const body = readProp(err, 'error');
  const nested = readProp(body, 'error') ?? body;
  for (const candidate of [readProp(nested, 'code'), readProp(nested, 'type'), readProp(err, 'code')]) {
    if (typeof candidate === 'string' && candidate.length > 0) return candidate;
  }
  return undefined;
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  // Provider messages sometimes echo a masked key ("sk-abc***1234"); drop anything key-shaped.
  return out.replace(/\b(sk|sk-ant|sk-proj)-[A-Za-z0-9_*.-]{4,}/g, '[redacted]');
}

/** The provider's own message without the LangChain troubleshooting suffix, redacted and bounded. */
function providerMessage(err: unknown, secrets: readonly string[]): string | undefined {
  const body = readProp(err, 'error');
  const nested = readProp(body, 'error') ?? body;
  const raw = readProp(nested, 'message') ?? readProp(err, 'message');
  if (typeof raw !== 'string' || raw.length === 0) return undefined;
  const firstBlock = raw.split('\n\nTroubleshooting URL')[0] ?? raw;
  return redact(firstBlock, secrets).slice(0, 300);
}

/**
 * Turns whatever the SDK (or LangChain's wrapper around it) threw into one of our coded errors.
 * Aborts and errors that are already ours pass through unchanged.
 */
export function mapProviderError(err: unknown, ctx: ErrorContext): unknown {
  if (err instanceof DevopsAiError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  const label = `${ctx.provider} model ${ctx.model}`;
  const status = readProp(err, 'status');
  const errName = err instanceof Error ? err.name : '';
  const ctorName = readProp(readProp(err, 'constructor'), 'name');
  const requestId =
    readProp(err, 'requestID') ??
    readProp(err, 'request_id') ??
    readProp(readProp(err, 'error'), 'request_id') ??
    readHeader(readProp(err, 'headers'), 'request-id');
  const base = {
    provider: ctx.provider,
    model: ctx.model,
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };

  if (typeof status === 'number') {
    const type = providerErrorType(err);
    const details: ProviderCallErrorDetails = {
      ...base,
      status,
      ...(type ? { providerErrorType: type } : {}),
      retryable: RETRYABLE_STATUS.has(status),
    };
    if (status === 401 || status === 403) {
      // Deliberately no provider text here: OpenAI echoes a masked form of the key in 401 bodies.
      return new ProviderAuthError(
        `${label}: the provider rejected the credentials (HTTP ${status}${type ? ` ${type}` : ''}); check ${ctx.keyHint}`,
        { ...details, retryable: false },
      );
    }
    const text = providerMessage(err, ctx.secrets);
    if (status === 429) {
      return new ProviderCallError(
        `${label}: rate limited by the provider (HTTP 429) after retries${text ? `: ${text}` : ''}`,
        details,
      );
    }
    if (status === 404) {
      return new ProviderCallError(
        `${label}: not found (HTTP 404); check the model name and base URL${text ? `: ${text}` : ''}`,
        details,
      );
    }
    if (status >= 500) {
      return new ProviderCallError(
        `${label}: provider error (HTTP ${status}) after retries${text ? `: ${text}` : ''}`,
        details,
      );
    }
    return new ProviderCallError(
      `${label}: request rejected (HTTP ${status})${text ? `: ${text}` : ''}`,
      details,
    );
  }
  const streamedType = ctorName === 'APIError' ? providerErrorType(err) : undefined;
  if (streamedType) {
    // An error event inside a 200 stream (Anthropic `event: error`, OpenAI `data: {"error": …}`).
    const text = providerMessage(err, ctx.secrets);
    return new ProviderCallError(
      `${label}: the provider failed mid-response (${streamedType})${text && text !== streamedType ? `: ${text}` : ''}`,
      { ...base, providerErrorType: streamedType, retryable: RETRYABLE_STREAM_ERRORS.has(streamedType) },
    );
  }
  if (
    errName === 'TimeoutError' ||
    ctorName === 'APIConnectionTimeoutError' ||
    (err instanceof Error && /timed? ?out/i.test(err.message))
  ) {
    return new ProviderCallError(`${label}: the request timed out`, { ...base, retryable: true });
  }
  if (ctorName === 'APIConnectionError' || errName === 'APIConnectionError') {
    return new ProviderCallError(`${label}: could not connect to the provider`, { ...base, retryable: true });
  }
  return err;
}
