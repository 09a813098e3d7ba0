/**
 * Errors carry a stable string `code` that callers (HTTP layer, MCP tool results, the graph)
 * switch on. Never switch on `message`.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'policy_denied'
  | 'approval_not_found'
  | 'approval_expired'
  | 'approval_used'
  | 'approval_rejected'
  | 'approval_mismatch'
  | 'self_approval'
  | 'read_only'
  | 'unknown_tool'
  | 'not_available'
  | 'backend_error'
  | 'config_error'
  | 'internal';

export class DevopsAiError extends Error {
  override readonly name: string = 'DevopsAiError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export class NotFoundError extends DevopsAiError {
  override readonly name = 'NotFoundError';
  constructor(kind: string, name: string, namespace?: string) {
    super('not_found', `${kind} ${namespace ? `${namespace}/` : ''}${name} not found`, {
      kind,
      name,
      ...(namespace ? { namespace } : {}),
    });
  }
}

export class InvalidArgumentError extends DevopsAiError {
  override readonly name = 'InvalidArgumentError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_argument', message, details);
  }
}

export class NotAvailableError extends DevopsAiError {
  override readonly name = 'NotAvailableError';
  constructor(message: string) {
    super('not_available', message);
  }
}

export class BackendError extends DevopsAiError {
  override readonly name = 'BackendError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('backend_error', message, details);
  }
}

export function isDevopsAiError(err: unknown): err is DevopsAiError {
  return err instanceof DevopsAiError;
}

/** A message that is safe to show to a user or a model: no stack, no secrets. */
export function describeError(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof DevopsAiError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'internal', message: err.message };
  return { code: 'internal', message: String(err) };
}
