import { parseServerRuntime, runToolServer } from '@devops-ai/mcp-kit';
import { openMetricsFromEnv } from '@devops-ai/mcp-metrics/backend';
import { createForecastingServer } from './server.js';
import { watchStateFromEnv } from './watches.js';

try {
  const runtime = parseServerRuntime(process.argv.slice(2), process.env);
  // The metrics backend used to resolve metric references (inline series always work).
  const metrics = await openMetricsFromEnv(process.env, { optional: true });
  // One watch state for the process: every client session of the HTTP server shares its detectors.
  const watches = watchStateFromEnv(process.env);
  await runToolServer('devops-ai-mcp-forecasting', runtime, () =>
    createForecastingServer(metrics ? { metrics, watches } : { watches }, { readOnly: runtime.readOnly }),
  );
} catch (err) {
  process.stderr.write(`devops-ai-mcp-forecasting: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
