// Regenerates the inputs/outputs tables of every Terraform module README under infra/modules.
// Run: npx tsx test/infra/gen-tf-docs.ts   (terraform.test.ts fails when a table is stale)

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTerraformDirs, loadModule } from './lib/terraform.js';
import { INDEX_BEGIN, INDEX_END, readSection, renderModuleIndex, writeModuleDocs } from './lib/tf-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const modulesRoot = join(root, 'infra', 'modules');
const all: { path: string; mod: Awaited<ReturnType<typeof loadModule>> }[] = [];
for (const dir of listTerraformDirs(modulesRoot)) {
  const mod = await loadModule(dir);
  all.push({ path: relative(modulesRoot, dir), mod });
  const cloud = basename(dirname(dir)).toUpperCase();
  const changed = writeModuleDocs(
    mod,
    `${cloud} module \`${basename(dir)}\``,
    'See ../../../README.md for how the modules compose.',
  );
  if (changed) process.stdout.write(`updated ${join(dir, 'README.md')}\n`);
}

// The same tables, all in infra/README.md.
const readme = join(root, 'infra', 'README.md');
if (existsSync(readme)) {
  const text = readFileSync(readme, 'utf8');
  const section = readSection(text, INDEX_BEGIN, INDEX_END);
  if (section === undefined) throw new Error(`${readme} has no ${INDEX_BEGIN} ... ${INDEX_END} section`);
  const next = text.replace(section, () => renderModuleIndex(all));
  if (next !== text) {
    writeFileSync(readme, next);
    process.stdout.write(`updated ${readme}\n`);
  }
}
