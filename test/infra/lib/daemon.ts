import { type ChildProcess, spawn } from 'node:child_process';

export interface Daemon {
  url: string;
  stop(): Promise<void>;
  logs(): string;
}

/**
 * Start a server binary (Prometheus, Alertmanager) on 127.0.0.1 and wait until `readyPath`
 * answers 200. The process is ours: stop() kills exactly this pid.
 */
export async function startDaemon(
  bin: string,
  args: string[],
  port: number,
  readyPath: string,
  timeoutMs = 20_000,
): Promise<Daemon> {
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`${bin} exited with ${exited}:\n${out.slice(-4000)}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${bin} not ready after ${timeoutMs} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    logs: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
