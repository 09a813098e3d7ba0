/**
 * PromQL templates for the golden signals, and the only way values get into them.
 *
 * Placeholders: `$namespace`, `$service` (label values, validated as DNS-1123 labels and escaped),
 * `$window` (a duration such as `600s`) and `$quantile` (0..1). Templates are checked when the
 * configuration is parsed: an unknown placeholder is a configuration error, not a runtime surprise.
 */
import { z } from 'zod';

/** Pods of a Deployment are `<deployment>-<pod-template-hash>-<5 chars>`; anchored by PromQL. */
const POD_OF_SERVICE = '$service-[a-z0-9]+-[a-z0-9]{5}';

export const DEFAULT_TEMPLATES = {
  /** Requests per second, mean over the window (Prometheus client / OpenTelemetry HTTP metrics). */
  requestsPerSecond: 'sum(rate(http_requests_total{namespace="$namespace",service="$service"}[$window]))',
  /** Share of 5xx responses; 0 when there is traffic and no 5xx series. */
  errorRate:
    '(sum(rate(http_requests_total{namespace="$namespace",service="$service",code=~"5.."}[$window])) or vector(0))' +
    ' / sum(rate(http_requests_total{namespace="$namespace",service="$service"}[$window]))',
  /** Latency quantile in seconds from a classic histogram. */
  latencySeconds:
    'histogram_quantile($quantile, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="$namespace",service="$service"}[$window])))',
  /** CPU cores used by the service's pods (cAdvisor), mean over the window. */
  cpuUsedCores: `sum(rate(container_cpu_usage_seconds_total{namespace="$namespace",pod=~"${POD_OF_SERVICE}",container!="",container!="POD"}[$window]))`,
  /** CPU cores requested by the service's pods (kube-state-metrics), at the end of the window. */
  cpuRequestedCores: `sum(kube_pod_container_resource_requests{namespace="$namespace",pod=~"${POD_OF_SERVICE}",resource="cpu"})`,
  /** Working-set memory in bytes (cAdvisor), mean over the window. */
  memoryUsedBytes: `sum(avg_over_time(container_memory_working_set_bytes{namespace="$namespace",pod=~"${POD_OF_SERVICE}",container!="",container!="POD"}[$window]))`,
  /** Memory requested in bytes (kube-state-metrics), at the end of the window. */
  memoryRequestedBytes: `sum(kube_pod_container_resource_requests{namespace="$namespace",pod=~"${POD_OF_SERVICE}",resource="memory"})`,
  /** Available replicas of the Deployment (kube-state-metrics), at the end of the window. */
  replicas: 'sum(kube_deployment_status_replicas_available{namespace="$namespace",deployment="$service"})',
} as const;

export type GoldenSignalTemplates = { [K in keyof typeof DEFAULT_TEMPLATES]: string };

const PLACEHOLDER = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const KNOWN = new Set(['namespace', 'service', 'window', 'quantile']);

export const templateSchema = z
  .string()
  .min(1)
  .max(4000)
  .superRefine((t, ctx) => {
    for (const m of t.matchAll(PLACEHOLDER)) {
      if (!KNOWN.has(m[1] ?? '')) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder $${m[1]} (use $namespace, $service, $window, $quantile)`,
        });
      }
    }
  });

export const templatesSchema = z
  .object(
    Object.fromEntries(Object.keys(DEFAULT_TEMPLATES).map((k) => [k, templateSchema.optional()])) as Record<
      keyof GoldenSignalTemplates,
      z.ZodOptional<typeof templateSchema>
    >,
  )
  .strict();

/**
 * Escape a string for a double-quoted PromQL label value (PromQL strings follow Go's escaping:
 * backslash, double quote and control characters).
 */
export function escapeLabelValue(v: string): string {
  return v.replace(
    /[\\"\n\r\t]/g,
    (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c,
  );
}

/** Prometheus duration for a whole number of seconds. */
export function promDuration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

export interface TemplateValues {
  namespace: string;
  service: string;
  windowSeconds: number;
  quantile?: number;
}

/**
 * Fill a template. Callers validate namespace and service as DNS-1123 labels first; escaping here
 * is the second line of defence, so a value can never close the string it is placed in.
 */
export function renderTemplate(template: string, v: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    switch (name) {
      case 'namespace':
        return escapeLabelValue(v.namespace);
      case 'service':
        return escapeLabelValue(v.service);
      case 'window':
        return promDuration(v.windowSeconds);
      case 'quantile':
        if (v.quantile === undefined || !(v.quantile >= 0 && v.quantile <= 1))
          throw new Error('quantile out of range');
        return String(v.quantile);
      default:
        return whole;
    }
  });
}
