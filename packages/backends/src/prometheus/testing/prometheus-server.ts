/**
 * Starts a real Prometheus (Debian's `prometheus` package) for integration tests: temp data dir,
 * loopback port, 1 s scrape and evaluation interval, optional rule file and optional history
 * backfilled with `promtool tsdb create-blocks-from openmetrics`. Waits on /-/ready and always
 * kills the process on stop (SIGTERM, then SIGKILL).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface StartPrometheusOptions {
  /** Scrape targets (`host:port`, path /metrics). */
  targets: string[];
  /** Contents of a rule file (YAML), if any. */
  rules?: string;
  /** OpenMetrics text to backfill before start. */
  history?: string;
  /** Binary names or paths. */
  prometheusBin?: string;
  promtoolBin?: string;
  readyTimeoutMs?: number;
  /** TSDB retention (default 1d): longer when the backfilled history is older. */
  retention?: string;
}

export interface RunningPrometheus {
  url: string;
  dataDir: string;
  /** The last lines Prometheus logged, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export class PrometheusStartError extends Error {
  override readonly name = 'PrometheusStartError';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startPrometheus(opts: StartPrometheusOptions): Promise<RunningPrometheus> {
  const bin = opts.prometheusBin ?? 'prometheus';
  const promtool = opts.promtoolBin ?? 'promtool';
  const dir = mkdtempSync(join(tmpdir(), 'devops-ai-prom-'));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'prometheus.yml');
  const ruleFile = join(dir, 'rules.yml');

  const cleanupDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      ...(opts.rules !== undefined ? ['rule_files:', `  - ${JSON.stringify(ruleFile)}`] : []),
      'scrape_configs:',
      '  - job_name: exporter',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ${JSON.stringify(opts.targets)}`,
    ].join('\n');
    writeFileSync(configFile, `${config}\n`);
    if (opts.rules !== undefined) writeFileSync(ruleFile, opts.rules);

    if (opts.history !== undefined) {
      const historyFile = join(dir, 'history.om');
      writeFileSync(historyFile, opts.history);
      try {
        await execFileAsync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', historyFile, dataDir], {
          timeout: 60_000,
        });
      } catch (err) {
        const e = err as { code?: string; stderr?: string; message: string };
        if (e.code === 'ENOENT') {
          throw new PrometheusStartError(
            `${promtool} not found on PATH: install Debian's prometheus package`,
          );
        }
        throw new PrometheusStartError(`promtool backfill failed: ${e.stderr || e.message}`);
      }
    }
  } catch (err) {
    cleanupDir();
    throw err;
  }

  // A port chosen by the kernel can be taken between our probe and Prometheus' bind: retry.
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const logLines: string[] = [];
    const child = spawn(
      bin,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.retention.time=${opts.retention ?? '1d'}`,
        '--web.console.templates=/dev/null',
        '--web.console.libraries=/dev/null',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (logLines.length > 200) logLines.splice(0, logLines.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // If the test process exits without calling stop(), take Prometheus with it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    let ready = false;
    let exited: number | null | undefined;
    let failed: Error | undefined;
    void spawnError.then((e) => {
      failed = e;
    });
    void exit.then((c) => {
      exited = c;
    });
    while (Date.now() < deadline && !ready && exited === undefined && !failed) {
      try {
        const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
        ready = res.status === 200;
      } catch {
        // not listening yet
      }
      if (!ready) await sleep(200);
    }
    const running: RunningPrometheus = {
      url,
      dataDir,
      logs: () => logLines.slice(-30).join('\n'),
      stop: async () => {
        await stopProcess(child);
        cleanupDir();
      },
    };
    if (ready) return running;
    await stopProcess(child);
    if (failed) {
      cleanupDir();
      const code = (failed as { code?: string }).code;
      throw new PrometheusStartError(
        code === 'ENOENT' ? `${bin} not found on PATH: install Debian's prometheus package` : failed.message,
      );
    }
    lastError = new PrometheusStartError(
      exited !== undefined
        ? `prometheus exited with code ${exited}:\n${running.logs()}`
        : `prometheus not ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${running.logs()}`,
    );
    if (!/address already in use/.test(running.logs())) break;
  }
  cleanupDir();
  throw lastError ?? new PrometheusStartError('prometheus did not start');
}
