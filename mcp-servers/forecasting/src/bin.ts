import type { MetricsPort } from '@devops-ai/core';
import { parseServerRuntime, runToolServer } from '@devops-ai/mcp-kit';
import { z } from 'zod';
import { createForecastingServer } from './server.js';

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

/** The metrics backend used to resolve metric references (inline series always work). */
async function openMetrics(env: NodeJS.ProcessEnv): Promise<MetricsPort | undefined> {
  const cfg = backendSchema.parse({
    backend:
      env.DEVOPS_AI_METRICS_BACKEND ??
      (env.PROMETHEUS_URL ? 'prometheus' : env.SANDBOX_PATH ? 'sandbox' : 'none'),
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

try {
  const runtime = parseServerRuntime(process.argv.slice(2), process.env);
  const metrics = await openMetrics(process.env);
  await runToolServer('devops-ai-mcp-forecasting', runtime, () =>
    createForecastingServer(metrics ? { metrics } : {}, { readOnly: runtime.readOnly }),
  );
} catch (err) {
  process.stderr.write(`devops-ai-mcp-forecasting: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
