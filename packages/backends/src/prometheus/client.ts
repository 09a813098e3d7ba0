/**
 * A small client for the Prometheus HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/):
 * /api/v1/query, /api/v1/query_range, /api/v1/alerts. Queries go as POST form bodies, so long
 * PromQL never hits URL length limits.
 */
import { BackendError, DevopsAiError, InvalidArgumentError } from '@devops-ai/core';

export type PromValue = [number, string];

export type PromQueryData =
  | { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: PromValue }> }
  | { resultType: 'matrix'; result: Array<{ metric: Record<string, string>; values: PromValue[] }> }
  | { resultType: 'scalar'; result: PromValue }
  | { resultType: 'string'; result: PromValue };

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export interface PrometheusClientOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  fetch: typeof fetch;
}

/** Prometheus' sample values: decimal text, or NaN / +Inf / -Inf. */
export function parseSampleValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  if (v === 'NaN') return Number.NaN;
  return Number(v);
}

export class PrometheusClient {
  constructor(private readonly opts: PrometheusClientOptions) {}

  /** The base URL, safe for messages (credentials were moved out of it by the config parser). */
  get url(): string {
    return this.opts.url;
  }

  query(query: string, time?: number): Promise<PromQueryData> {
    const form: Record<string, string> = { query };
    if (time !== undefined) form.time = String(time);
    return this.call<PromQueryData>('/api/v1/query', form);
  }

  queryRange(query: string, start: number, end: number, step: number): Promise<PromQueryData> {
    return this.call<PromQueryData>('/api/v1/query_range', {
      query,
      start: String(start),
      end: String(end),
      step: String(step),
    });
  }

  async alerts(): Promise<PromAlert[]> {
    const data = await this.call<{ alerts: PromAlert[] }>('/api/v1/alerts');
    return data.alerts ?? [];
  }

  private async call<T>(path: string, form?: Record<string, string>): Promise<T> {
    const { timeoutMs } = this.opts;
    // Let Prometheus give up slightly before we do, so its own timeout error can come back.
    const body = form
      ? new URLSearchParams({ ...form, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000) - 1)}s` })
      : undefined;
    let res: Response;
    try {
      res = await this.opts.fetch(`${this.opts.url}${path}`, {
        method: form ? 'POST' : 'GET',
        headers: {
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          ...this.opts.headers,
        },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new BackendError(`Prometheus at ${this.url} did not answer within ${timeoutMs} ms`);
      }
      throw new BackendError(
        `cannot reach Prometheus at ${this.url} (${e.cause?.code ?? e.cause?.message ?? e.name ?? 'network error'})`,
      );
    }

    let parsed: PromResponse<T> | undefined;
    const text = await res.text().catch(() => '');
    try {
      parsed = JSON.parse(text) as PromResponse<T>;
    } catch {
      parsed = undefined;
    }
    if (res.ok && parsed?.status === 'success' && parsed.data !== undefined) return parsed.data;

    if (res.status === 401 || res.status === 403) {
      throw new DevopsAiError(
        res.status === 401 ? 'unauthenticated' : 'forbidden',
        `Prometheus at ${this.url} refused the request (HTTP ${res.status})`,
      );
    }
    if (parsed?.status === 'error') {
      const message = parsed.error ?? 'unknown error';
      // bad_data: the query or its parameters are invalid (HTTP 400).
      if (parsed.errorType === 'bad_data')
        throw new InvalidArgumentError(`invalid PromQL request: ${message}`);
      throw new BackendError(`Prometheus ${parsed.errorType ?? 'error'}: ${message}`, {
        httpStatus: res.status,
        errorType: parsed.errorType,
      });
    }
    throw new BackendError(`Prometheus at ${this.url} answered HTTP ${res.status} without an API response`, {
      httpStatus: res.status,
    });
  }
}
