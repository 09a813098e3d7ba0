import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSandbox, type SandboxWorld } from '@devops-ai/sandbox';

/**
 * Fresh sandbox worlds, fast: a new world pre-simulates 24 h (~1 s), so the first world of each
 * seed is built once into a template file and every scenario opens its own copy of it.
 */

/**
 * Templates are keyed by the sandbox's own source: when the simulation changes, stale templates
 * from an older checkout are never reused.
 */
function sandboxVersion(): string {
  const src = dirname(fileURLToPath(import.meta.resolve('@devops-ai/sandbox')));
  const hash = createHash('sha256');
  for (const f of readdirSync(src)
    .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))
    .sort()) {
    hash.update(f).update(readFileSync(join(src, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

const TEMPLATE_DIR = join(tmpdir(), `devops-ai-evals-worlds-${sandboxVersion()}`);

export function templatePath(seed: number, dir = TEMPLATE_DIR): string {
  const path = join(dir, `seed-${seed}.db`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  // Build beside the final name and rename: concurrent runs never see a half-written template.
  const building = join(dir, `seed-${seed}.${process.pid}.${Date.now()}.building.db`);
  try {
    openSandbox({ path: building, seed }).close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
    renameSync(building, path);
  } finally {
    rmSync(building, { force: true });
  }
  return path;
}

/** Opens a private copy of the seed's template world at `path`. */
export function freshWorld(seed: number, path: string): SandboxWorld {
  copyFileSync(templatePath(seed), path);
  return openSandbox({ path, seed });
}
