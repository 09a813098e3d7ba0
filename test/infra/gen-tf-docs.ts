// Regenerates the inputs/outputs tables of every Terraform module README under infra/modules.
// Run: npx tsx test/infra/gen-tf-docs.ts   (terraform.test.ts fails when a table is stale)
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTerraformDirs, loadModule } from './lib/terraform.js';
import { writeModuleDocs } from './lib/tf-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const dir of listTerraformDirs(join(root, 'infra', 'modules'))) {
  const mod = await loadModule(dir);
  const cloud = basename(dirname(dir)).toUpperCase();
  const changed = writeModuleDocs(
    mod,
    `${cloud} module \`${basename(dir)}\``,
    'See ../../../README.md for how the modules compose.',
  );
  if (changed) process.stdout.write(`updated ${join(dir, 'README.md')}\n`);
}
