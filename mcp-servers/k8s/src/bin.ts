import type { ClusterPort } from '@devops-ai/core';
import { parseServerRuntime, runToolServer } from '@devops-ai/mcp-kit';
import { z } from 'zod';
import { createK8sServer } from './server.js';

/** Backend configuration; parsed once here. Nothing below bin.ts reads process.env. */
const backendSchema = z.discriminatedUnion('backend', [
  z.object({
    backend: z.literal('sandbox'),
    sandboxPath: z.string().min(1),
    seed: z.coerce.number().int().default(42),
  }),
  z.object({
    backend: z.literal('kubernetes'),
    kubeconfigPath: z.string().optional(),
    context: z.string().optional(),
    inCluster: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  }),
]);

async function openCluster(env: NodeJS.ProcessEnv): Promise<ClusterPort> {
  const cfg = backendSchema.parse({
    backend: env.DEVOPS_AI_BACKEND ?? 'sandbox',
    sandboxPath: env.SANDBOX_PATH ?? '.data/sandbox.db',
    seed: env.SANDBOX_SEED,
    kubeconfigPath: env.KUBECONFIG,
    context: env.KUBE_CONTEXT,
    inCluster: env.KUBE_IN_CLUSTER,
  });
  if (cfg.backend === 'sandbox') {
    const { openSandbox } = await import('@devops-ai/sandbox');
    return openSandbox({ path: cfg.sandboxPath, seed: cfg.seed }).cluster;
  }
  const { createKubernetesCluster } = await import('@devops-ai/backends');
  return createKubernetesCluster({
    ...(cfg.kubeconfigPath ? { kubeconfigPath: cfg.kubeconfigPath } : {}),
    ...(cfg.context ? { context: cfg.context } : {}),
    ...(cfg.inCluster !== undefined ? { inCluster: cfg.inCluster } : {}),
  });
}

try {
  const runtime = parseServerRuntime(process.argv.slice(2), process.env);
  const cluster = await openCluster(process.env);
  await runToolServer('devops-ai-mcp-k8s', runtime, () =>
    createK8sServer({ cluster }, { readOnly: runtime.readOnly }),
  );
} catch (err) {
  process.stderr.write(`devops-ai-mcp-k8s: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
