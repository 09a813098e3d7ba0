import { parseServerRuntime, runToolServer } from '@devops-ai/mcp-kit';
import { openMetricsFromEnv } from './backend.js';
import { createMetricsServer } from './server.js';

try {
  const runtime = parseServerRuntime(process.argv.slice(2), process.env);
  const metrics = await openMetricsFromEnv(process.env);
  if (!metrics) throw new Error('no metrics backend configured');
  await runToolServer('devops-ai-mcp-metrics', runtime, () =>
    createMetricsServer({ metrics }, { readOnly: runtime.readOnly }),
  );
} catch (err) {
  process.stderr.write(`devops-ai-mcp-metrics: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
