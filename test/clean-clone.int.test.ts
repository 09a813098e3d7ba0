import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * 7. A clean clone of the committed tree comes up with the README's start command. (The README's test
 * command is what CI itself runs on a clean clone.)
 */
describe('a clean clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devops-ai-clone-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs `npm ci && npm start` and answers on the API', { timeout: 600_000 }, async () => {
    await run('git', ['clone', '--quiet', '--no-local', ROOT, dir]);
    await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    const port = await freePort();
    child = spawn('npm', ['start'], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DEVOPS_AI_PORT: String(port) },
    });
    let out = '';
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${out}`)), 120_000);
      child?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('devops-ai is up')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child?.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
    });
    expect(out).toContain(`http://127.0.0.1:${port}`);
    expect(out).toMatch(/alice\s+demo-alice/);
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, model: 'offline', sandbox: true });
    const chat = await fetch(`http://127.0.0.1:${port}/api/chat`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-carol', 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'status of prod' }),
    });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as { reply: string }).reply).toMatch(/checkout-api/);
  });
});
