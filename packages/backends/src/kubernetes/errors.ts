import { BackendError, DevopsAiError, InvalidArgumentError, NotFoundError } from '@devops-ai/core';
import { ApiException } from '@kubernetes/client-node';

/** The parts of a Kubernetes `Status` object we read (metav1.Status). */
interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ field?: string; message?: string; reason?: string }> };
}

function parseStatus(body: unknown): KubeStatus | null {
  let v: unknown = body;
  if (typeof body === 'string') {
    try {
      v = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (v && typeof v === 'object' && (v as KubeStatus).kind === 'Status') return v as KubeStatus;
  return null;
}

export interface KubeTarget {
  kind: string;
  name: string;
  namespace?: string | undefined;
}

/**
 * Map a failure from @kubernetes/client-node to a DevopsAiError. Only the Status object's
 * `message` from the API server is surfaced: ApiException's own message embeds the response
 * headers, and transport errors may carry request options, so neither is ever copied.
 */
export function mapKubeError(
  err: unknown,
  target: KubeTarget,
  server: string,
  timeoutMs: number,
): DevopsAiError {
  if (err instanceof DevopsAiError) return err;
  if (err instanceof ApiException) {
    const code = err.code;
    const status = parseStatus(err.body);
    const message = status?.message ?? `HTTP ${code}`;
    const details: Record<string, unknown> = { httpStatus: code };
    if (status?.reason) details.reason = status.reason;
    if (status?.details?.causes) details.causes = status.details.causes;
    switch (code) {
      case 404:
        return new NotFoundError(target.kind, target.name, target.namespace);
      case 400:
      case 422:
        return new InvalidArgumentError(message, details);
      case 409:
        return new DevopsAiError('conflict', message, details);
      case 401:
        return new DevopsAiError(
          'unauthenticated',
          'the Kubernetes API server rejected the credentials',
          details,
        );
      case 403:
        return new DevopsAiError('forbidden', message, details);
      default:
        return new BackendError(`Kubernetes API error ${code}: ${message}`, details);
    }
  }
  const e = err as { name?: string; cause?: { code?: string; name?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError') {
    return new BackendError(`Kubernetes API request timed out after ${timeoutMs} ms (${server})`);
  }
  const cause = e?.cause?.code ?? e?.name ?? 'unknown error';
  return new BackendError(`cannot reach the Kubernetes API server at ${server} (${cause})`);
}
