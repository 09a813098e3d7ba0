import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerRuntime } from './config.js';
import { serveHttp } from './http.js';
import { runStdio } from './stdio.js';

/** Runs a server over the configured transport. Used by every server's bin.ts. */
export async function runToolServer(
  label: string,
  runtime: ServerRuntime,
  createServer: () => McpServer,
): Promise<void> {
  if (runtime.transport === 'stdio') {
    process.stderr.write(`${label}: serving MCP over stdio${runtime.readOnly ? ' (read-only)' : ''}\n`);
    await runStdio(createServer());
    return;
  }
  const token = runtime.token;
  if (!token) throw new Error('HTTP transport requires a bearer token');
  const running = await serveHttp({
    createServer,
    host: runtime.host,
    port: runtime.port,
    token,
    ...(runtime.allowedHostnames ? { allowedHostnames: runtime.allowedHostnames } : {}),
  });
  process.stderr.write(`${label}: serving MCP on ${running.url}${runtime.readOnly ? ' (read-only)' : ''}\n`);
  // Parent processes (the launcher, tests) read this line to learn the port.
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: running.url, port: running.port })}\n`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
