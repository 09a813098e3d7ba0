import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSandbox } from './world.js';

/**
 * Fresh sandbox worlds, fast: a new world pre-simulates 3 days (~2 s), so the first world of each
 * seed is built once into a template file and every test, eval scenario or bench opens a copy.
 */

/**
 * Templates are keyed by the sandbox's own source: when the simulation changes, stale templates
 * from an older checkout are never reused.
 */
function sandboxVersion(): string {
  const src = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const f of readdirSync(src)
    .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))
    .sort()) {
    hash.update(f).update(readFileSync(join(src, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

let templateDir: string | undefined;

/** The template world file of a seed, built on first use (safe across concurrent processes). */
export function worldTemplatePath(seed: number, dir?: string): string {
  templateDir ??= join(tmpdir(), `devops-ai-worlds-${sandboxVersion()}`);
  const base = dir ?? templateDir;
  const path = join(base, `seed-${seed}.db`);
  if (existsSync(path)) return path;
  mkdirSync(base, { recursive: true });
  // Build beside the final name and rename: concurrent runs never see a half-written template.
  const building = join(base, `seed-${seed}.${process.pid}.${Date.now()}.building.db`);
  try {
    openSandbox({ path: building, seed }).close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
    renameSync(building, path);
  } finally {
    rmSync(building, { force: true });
  }
  return path;
}

/** Writes a fresh copy of the seed's world to `path` (for processes that open it themselves). */
export function copyWorld(seed: number, path: string): string {
  copyFileSync(worldTemplatePath(seed), path);
  return path;
}
