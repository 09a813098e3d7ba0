import { hostConfigFromEnv, hostConfigSchema } from './config.js';
import { startHost } from './serve.js';

/**
 * The host alone, connecting to MCP servers given by MCP_K8S_URL/_TOKEN and MCP_METRICS_URL/_TOKEN, and
 * MCP_FORECASTING_URL/_TOKEN when set.
 */
try {
  const config = hostConfigSchema.parse(hostConfigFromEnv(process.env));
  const running = await startHost(config, process.env);
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', url: running.url, port: running.port, model: running.host.modelLabel })}\n`,
  );
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  process.stderr.write(`devops-ai host: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
