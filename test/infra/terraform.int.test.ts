import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireTool, run } from './lib/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Terraform reads no CLI config and sends no checkpoint request during these checks.
const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };

describe('terraform fmt (real terraform binary)', () => {
  it('infra/ is formatted: terraform fmt -check -recursive', () => {
    const terraform = requireTool('terraform', 'terraform (HashiCorp, in the machine image)');
    const r = run(terraform, ['fmt', '-check', '-recursive', '-diff', join(root, 'infra')], { env });
    expect(r.stdout + r.stderr).not.toMatch(/\.tf\n/);
    expect(r.status, r.stdout).toBe(0);
  });

  it('fmt -check does fail on a badly formatted file (the check is live)', () => {
    const terraform = requireTool('terraform', 'terraform (HashiCorp, in the machine image)');
    const dir = mkdtempSync(join(tmpdir(), 'tf-fmt-'));
    writeFileSync(join(dir, 'main.tf'), 'variable "x" {\ntype=string\n    default = "a"\n}\n');
    const r = run(terraform, ['fmt', '-check', '-recursive', dir], { env });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('main.tf');
  });
});
