import type { MetricsPort } from '@devops-ai/core';
import { z } from 'zod';

const backendSchema = z.discriminatedUnion('backend', [
  z.object({ backend: z.literal('none') }),
  z.object({
    backend: z.literal('sandbox'),
    sandboxPath: z.string().min(1),
    seed: z.coerce.number().int().default(42),
  }),
  z.object({
    backend: z.literal('prometheus'),
    prometheusUrl: z.url(),
    prometheusToken: z.string().optional(),
  }),
]);

/**
 * The metrics backend a process is configured for: `DEVOPS_AI_METRICS_BACKEND`, else Prometheus when
 * `PROMETHEUS_URL` is set, else the sandbox world (`SANDBOX_PATH`, `SANDBOX_SEED`). With
 * `optional`, a process without `SANDBOX_PATH` or `PROMETHEUS_URL` gets none (the forecasting
 * server then takes inline series only); otherwise the sandbox defaults to `.data/sandbox.db`.
 * Shared by every server that reads metrics, so they read the same one.
 */
export async function openMetricsFromEnv(
  env: NodeJS.ProcessEnv,
  opts: { optional?: boolean } = {},
): Promise<MetricsPort | undefined> {
  const fallback = env.PROMETHEUS_URL
    ? 'prometheus'
    : opts.optional && !env.SANDBOX_PATH
      ? 'none'
      : 'sandbox';
  const cfg = backendSchema.parse({
    backend: env.DEVOPS_AI_METRICS_BACKEND ?? fallback,
    sandboxPath: env.SANDBOX_PATH ?? '.data/sandbox.db',
    seed: env.SANDBOX_SEED,
    prometheusUrl: env.PROMETHEUS_URL,
    prometheusToken: env.PROMETHEUS_TOKEN,
  });
  if (cfg.backend === 'none') return undefined;
  if (cfg.backend === 'sandbox') {
    const { openSandbox } = await import('@devops-ai/sandbox');
    return openSandbox({ path: cfg.sandboxPath, seed: cfg.seed }).metrics;
  }
  const { createPrometheusMetrics } = await import('@devops-ai/backends');
  return createPrometheusMetrics({
    url: cfg.prometheusUrl,
    ...(cfg.prometheusToken ? { bearerToken: cfg.prometheusToken } : {}),
  });
}
