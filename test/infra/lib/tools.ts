import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
  readonly code = 'tool_missing';
  constructor(tool: string, pkg: string) {
    super(`${tool} is not installed; it comes from the Debian package ${pkg} (.ci/run installs it)`);
  }
}

/** Absolute path of a binary on PATH; throws (the test fails, never skips) when it is missing. */
export function requireTool(tool: string, pkg: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status !== 0 || path === '') throw new MissingToolError(tool, pkg);
  return path;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function runOk(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
