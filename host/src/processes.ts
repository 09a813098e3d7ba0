import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SERVER_BINS = {
  k8s: join(ROOT, 'mcp-servers', 'k8s', 'bin', 'devops-ai-mcp-k8s.js'),
  metrics: join(ROOT, 'mcp-servers', 'metrics', 'bin', 'devops-ai-mcp-metrics.js'),
  forecasting: join(ROOT, 'mcp-servers', 'forecasting', 'bin', 'devops-ai-mcp-forecasting.js'),
  host: join(ROOT, 'host', 'bin', 'devops-ai.js'),
} as const;

export interface ChildService {
  name: string;
  url: string;
  port: number;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Starts a node process that prints one `{"event":"listening",...}` JSON line on stdout when ready.
 * Its stderr goes to ours, prefixed.
 */
export function spawnService(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<{ url: string; port: number; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [script, ...args], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errLines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
  errLines.on('line', (l) => process.stderr.write(`[${name}] ${l}\n`));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; url?: string; port?: number };
        if (msg.event === 'listening' && msg.url && msg.port) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ url: msg.url, port: msg.port, child, stop });
        }
      } catch {
        process.stdout.write(`[${name}] ${line}\n`);
      }
    });
  });
}

/** Starts an MCP server (k8s, metrics or forecasting) over streamable HTTP on a free loopback port with a fresh token. */
export async function spawnMcpServer(
  name: 'k8s' | 'metrics' | 'forecasting',
  env: Record<string, string | undefined>,
  extraArgs: string[] = [],
): Promise<ChildService> {
  const token = newToken();
  const s = await spawnService(
    name,
    SERVER_BINS[name],
    ['--http', '--host', '127.0.0.1', '--port', '0', ...extraArgs],
    {
      ...env,
      MCP_TOKEN: token,
    },
  );
  return { name, token, ...s };
}
