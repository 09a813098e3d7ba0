import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkAll,
  deletionProtectionWired,
  type PolicyName,
  prodDeletionProtection,
  resourcePolicies,
} from './lib/policies.js';
import {
  type HclBody,
  isRecord,
  listTerraformDirs,
  loadModule,
  parseModule,
  type TfModule,
} from './lib/terraform.js';
import {
  INDEX_BEGIN,
  INDEX_END,
  readDocsSection,
  readSection,
  renderModuleDocs,
  renderModuleIndex,
} from './lib/tf-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const infra = join(root, 'infra');
const environments = ['dev', 'staging', 'prod'] as const;
// hcl2json renders a type constraint as an interpolation: `type = bool` becomes the string "${bool}".
const BOOL_TYPE = ['$', '{bool}'].join('');
const META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

let parsed: Map<string, TfModule>;

beforeAll(async () => {
  parsed = new Map();
  for (const dir of listTerraformDirs(infra)) parsed.set(dir, await loadModule(dir));
});

const moduleDirs = () => [...parsed.keys()].filter((d) => d.includes(`${join('infra', 'modules')}/`));
const get = (dir: string): TfModule => {
  const m = parsed.get(dir);
  if (!m) throw new Error(`not parsed: ${dir}`);
  return m;
};

/** Every string inside a parsed body, recursively (HCL expressions are strings like `${var.x}`). */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (isRecord(v)) for (const x of Object.values(v)) strings(x, out);
  return out;
}

function allBodies(mod: TfModule): unknown[] {
  return [
    ...[...mod.resources.values()].flatMap((m) => [...m.values()]),
    ...[...mod.data.values()].flatMap((m) => [...m.values()]),
    ...mod.modules.values(),
    ...mod.outputs.values(),
    ...mod.variables.values(),
    ...mod.locals,
  ];
}

describe('terraform: every .tf file parses', () => {
  it('finds the AWS and GCP modules and the three environments', () => {
    const rel = [...parsed.keys()].map((d) => d.slice(infra.length + 1)).sort();
    for (const m of [
      'network',
      'eks',
      'rds',
      's3',
      'iam',
      'secrets',
      'audit',
      'compliance',
      'budgets',
      'hpa',
    ]) {
      expect(rel).toContain(`modules/aws/${m}`);
    }
    for (const m of ['network', 'gke', 'cloudsql', 'gcs', 'iam']) expect(rel).toContain(`modules/gcp/${m}`);
    for (const e of environments) expect(rel).toContain(`environments/${e}`);
    expect([...parsed.values()].reduce((n, m) => n + m.files.length, 0)).toBeGreaterThan(60);
  });

  it('rejects a syntax error with the file name (the parser is not lenient)', async () => {
    await expect(
      parseModule('fixture', { 'broken.tf': 'resource "aws_s3_bucket" "x" {\n  bucket = "a"\n' }),
    ).rejects.toThrow(/broken\.tf/);
  });
});

describe('terraform: module hygiene', () => {
  it('every variable has a type and a description, and every non-boolean one a validation block', () => {
    const problems: string[] = [];
    for (const dir of [...parsed.keys()]) {
      for (const [name, v] of get(dir).variables) {
        const where = `${dir.slice(infra.length + 1)}: var.${name}`;
        if (typeof v.type !== 'string') problems.push(`${where} has no type`);
        if (typeof v.description !== 'string' || v.description.length < 10)
          problems.push(`${where} has no description`);
        if (v.type !== BOOL_TYPE && !Array.isArray(v.validation)) problems.push(`${where} has no validation`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every module has outputs, each with a description', () => {
    for (const dir of moduleDirs()) {
      const mod = get(dir);
      expect(mod.outputs.size, dir).toBeGreaterThan(0);
      for (const [name, o] of mod.outputs)
        expect(typeof o.description, `${dir} output ${name}`).toBe('string');
    }
  });

  it('every var.X a module uses is declared', () => {
    const problems: string[] = [];
    for (const [dir, mod] of parsed) {
      const used = new Set(
        strings(allBodies(mod)).flatMap((s) =>
          [...s.matchAll(/\bvar\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1]),
        ),
      );
      for (const name of used) if (name && !mod.variables.has(name)) problems.push(`${dir}: var.${name}`);
    }
    expect(problems).toEqual([]);
  });

  it('every module call passes declared inputs, all required ones, and reads declared outputs', () => {
    const problems: string[] = [];
    for (const [dir, mod] of parsed) {
      const sources = new Map<string, TfModule>();
      for (const [name, call] of mod.modules) {
        const target = parsed.get(resolve(dir, String(call.source)));
        if (!target) {
          problems.push(`${dir}: module.${name} source ${String(call.source)} not found`);
          continue;
        }
        sources.set(name, target);
        for (const input of Object.keys(call)) {
          if (!META_ARGS.has(input) && !target.variables.has(input))
            problems.push(`${dir}: module.${name} has no input ${input}`);
        }
        for (const [v, body] of target.variables) {
          if (!('default' in body) && !(v in call))
            problems.push(`${dir}: module.${name} misses required ${v}`);
        }
      }
      for (const s of strings(allBodies(mod))) {
        for (const m of s.matchAll(/\bmodule\.([a-z_][a-z0-9_-]*)(?:\[[^\]]*\])?\.([a-z_][a-z0-9_]*)/g)) {
          const target = sources.get(m[1] ?? '');
          if (!target) problems.push(`${dir}: reference to unknown module.${m[1]}`);
          else if (!target.outputs.has(m[2] ?? ''))
            problems.push(`${dir}: module.${m[1]} has no output ${m[2]}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('each module README holds the current inputs/outputs table (npx tsx test/infra/gen-tf-docs.ts)', () => {
    for (const dir of moduleDirs()) {
      const readme = join(dir, 'README.md');
      expect(existsSync(readme), readme).toBe(true);
      expect(readDocsSection(readFileSync(readme, 'utf8')), readme).toBe(renderModuleDocs(get(dir)));
    }
  });

  it('infra/README.md holds the current tables of every module (npx tsx test/infra/gen-tf-docs.ts)', () => {
    const modulesRoot = join(infra, 'modules');
    const expected = renderModuleIndex(
      moduleDirs().map((d) => ({ path: d.slice(modulesRoot.length + 1), mod: get(d) })),
    );
    const text = readFileSync(join(infra, 'README.md'), 'utf8');
    expect(readSection(text, INDEX_BEGIN, INDEX_END)).toBe(expected);
    for (const d of moduleDirs()) expect(text).toContain(`### \`${d.slice(modulesRoot.length + 1)}\``);
  });
});

describe('terraform: AWS and GCP modules share one interface where the concepts match', () => {
  const pairs: [string, string, string[], string[]][] = [
    [
      'network',
      'network',
      ['name', 'cidr', 'tags'],
      ['network_id', 'cidr', 'public_subnet_ids', 'private_subnet_ids'],
    ],
    [
      'eks',
      'gke',
      [
        'name',
        'kubernetes_version',
        'network_id',
        'private_subnet_ids',
        'node_groups',
        'endpoint_public_access',
        'public_access_cidrs',
        'tags',
      ],
      ['cluster_name', 'cluster_endpoint', 'cluster_ca_certificate'],
    ],
    [
      'rds',
      'cloudsql',
      [
        'name',
        'engine_version',
        'instance_class',
        'allocated_storage_gb',
        'database_name',
        'network_id',
        'backup_retention_days',
        'deletion_protection',
        'multi_az',
        'tags',
      ],
      ['endpoint', 'port', 'database_name', 'master_secret_id'],
    ],
    [
      's3',
      'gcs',
      ['name', 'versioning_enabled', 'kms_key_id', 'lifecycle_rules', 'force_destroy', 'tags'],
      ['bucket_name', 'bucket_id'],
    ],
    [
      'iam',
      'iam',
      ['name', 'namespace', 'release_name', 'secret_ids'],
      ['workload_identities', 'components_without_cloud_access'],
    ],
  ];
  for (const [aws, gcp, inputs, outputs] of pairs) {
    it(`aws/${aws} ~ gcp/${gcp}`, () => {
      const a = get(join(infra, 'modules', 'aws', aws));
      const g = get(join(infra, 'modules', 'gcp', gcp));
      for (const i of inputs) {
        expect(a.variables.get(i)?.type, `aws/${aws} var.${i}`).toBeDefined();
        expect(g.variables.get(i)?.type, `gcp/${gcp} var.${i}`).toBe(a.variables.get(i)?.type);
      }
      for (const o of outputs) {
        expect(a.outputs.has(o), `aws/${aws} output ${o}`).toBe(true);
        expect(g.outputs.has(o), `gcp/${gcp} output ${o}`).toBe(true);
      }
    });
  }
});

describe('terraform: policies over the real configuration', () => {
  it('no directory violates any policy', () => {
    const violations = [...parsed].flatMap(([dir, mod]) =>
      checkAll(mod, dir.includes(`${join('infra', 'environments')}/`) ? basename(dir) : undefined),
    );
    expect(violations).toEqual([]);
  });

  it('the policies actually looked at something (buckets, databases, IAM documents)', () => {
    const count = (type: string) =>
      [...parsed.values()].reduce((n, m) => n + (m.resources.get(type)?.size ?? 0), 0);
    expect(count('aws_s3_bucket')).toBeGreaterThan(0);
    expect(count('aws_db_instance')).toBeGreaterThan(0);
    expect(count('google_storage_bucket')).toBeGreaterThan(0);
    expect(count('google_sql_database_instance')).toBeGreaterThan(0);
    const docs = [...parsed.values()].reduce(
      (n, m) => n + (m.data.get('aws_iam_policy_document')?.size ?? 0),
      0,
    );
    expect(docs).toBeGreaterThan(10);
  });

  it('prod sets deletion protection on its database and staging too; dev may not', () => {
    const db = (env: string): HclBody | undefined =>
      [...get(join(infra, 'environments', env)).modules.values()].find((m) =>
        String(m.source).endsWith('/rds'),
      );
    expect(db('prod')?.deletion_protection).toBe(true);
    expect(db('staging')?.deletion_protection).toBe(true);
    expect(db('dev')?.deletion_protection).toBe(false);
  });

  it('dev uses free-tier-friendly sizes (t4g.micro nodes, db.t3.micro)', () => {
    const dev = get(join(infra, 'environments', 'dev'));
    expect(dev.modules.get('database')?.instance_class).toBe('db.t3.micro');
    const groups = dev.modules.get('eks')?.node_groups;
    expect(JSON.stringify(groups)).toContain('t4g.micro');
  });

  it('the k8s, github and forecasting servers get no cloud role; cost reads Cost Explorer only', () => {
    const iam = get(join(infra, 'modules', 'aws', 'iam'));
    const cost = iam.data.get('aws_iam_policy_document')?.get('cost');
    const actions = strings(cost).filter((s) => /^[a-z0-9-]+:[A-Za-z]+$/.test(s));
    expect(actions.length).toBeGreaterThan(3);
    expect(actions.every((a) => a.startsWith('ce:Get'))).toBe(true);
    const roles = JSON.stringify(iam.locals);
    expect(roles).toContain('"components_with_roles":["host","cost","metrics"]');
    for (const name of ['k8s', 'github', 'forecasting'])
      expect(iam.data.get('aws_iam_policy_document')?.has(name)).toBe(false);
  });
});

/** Bad configurations, one per policy: each must be caught by its policy (and only a real problem trips it). */
const bad: Record<PolicyName, string[]> = {
  'no-public-bucket': [
    `resource "aws_s3_bucket" "b" { bucket = "x" }
     resource "aws_s3_bucket_public_access_block" "b" {
       bucket = aws_s3_bucket.b.id
       block_public_acls = true
       block_public_policy = false
       ignore_public_acls = true
       restrict_public_buckets = true
     }`,
    `resource "aws_s3_bucket_acl" "b" {
       bucket = aws_s3_bucket.b.id
       acl    = "public-read"
     }`,
    `resource "google_storage_bucket" "b" {
       name = "x"
       location = "EU"
       uniform_bucket_level_access = true
       public_access_prevention = "inherited"
       lifecycle_rule {
         action { type = "Delete" }
         condition { age = 1 }
       }
     }`,
    `resource "google_storage_bucket_iam_member" "b" {
       bucket = "x"
       role = "roles/storage.objectViewer"
       member = "allUsers"
     }`,
  ],
  'encrypted-stores': [
    `resource "aws_db_instance" "d" {
       storage_encrypted = false
       publicly_accessible = false
       deletion_protection = true
     }`,
    `resource "aws_s3_bucket" "b" { bucket = "x" }`,
    `resource "aws_secretsmanager_secret" "s" { name = "x" }`,
  ],
  'private-databases': [
    `resource "aws_db_instance" "d" {
       storage_encrypted = true
       publicly_accessible = true
       deletion_protection = true
     }`,
    `resource "aws_vpc_security_group_ingress_rule" "pg" {
       security_group_id = "sg-1"
       cidr_ipv4 = "0.0.0.0/0"
       from_port = 5432
       to_port = 5432
       ip_protocol = "tcp"
     }`,
    `module "database" {
       source             = "../../modules/aws/rds"
       private_subnet_ids = module.network.public_subnet_ids
     }`,
    `resource "google_sql_database_instance" "d" {
       deletion_protection = true
       settings {
         ip_configuration {
           ipv4_enabled = true
           ssl_mode = "ENCRYPTED_ONLY"
         }
       }
     }`,
  ],
  'no-wildcard-iam-actions': [
    `data "aws_iam_policy_document" "p" {
       statement {
         actions = ["s3:*"]
         resources = ["*"]
       }
     }`,
    `data "aws_iam_policy_document" "p" {
       dynamic "statement" {
         for_each = [1]
         content {
           effect = "Allow"
           actions = ["ce:Get*"]
           resources = ["*"]
         }
       }
     }`,
    `resource "aws_iam_role_policy" "p" {
       role = "r"
       policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
     }`,
    `resource "aws_iam_role_policy_attachment" "p" {
       role = "r"
       policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
     }`,
  ],
  'bucket-lifecycle': [
    `resource "aws_s3_bucket" "b" { bucket = "x" }`,
    `resource "google_storage_bucket" "b" {
       name = "x"
       location = "EU"
       uniform_bucket_level_access = true
       public_access_prevention = "enforced"
     }`,
  ],
  'prod-deletion-protection': [
    `module "database" {
       source = "../../modules/aws/rds"
       deletion_protection = false
     }`,
    `module "database" {
       source = "../../modules/gcp/cloudsql"
     }`,
    `module "artifacts" {
       source = "../../modules/aws/s3"
       force_destroy = true
     }`,
  ],
};

describe('terraform: each policy catches a bad fixture', () => {
  for (const [policy, fixtures] of Object.entries(bad) as [PolicyName, string[]][]) {
    fixtures.forEach((hcl, i) => {
      it(`${policy} #${i + 1}`, async () => {
        const mod = await parseModule(`fixture-${policy}-${i + 1}`, { 'main.tf': hcl });
        const found =
          policy === 'prod-deletion-protection'
            ? prodDeletionProtection(mod, 'prod')
            : resourcePolicies[policy](mod);
        expect(found.length, hcl).toBeGreaterThan(0);
        expect(found.every((v) => v.policy === policy)).toBe(true);
      });
    });
  }

  it('prod-deletion-protection ignores the same database module in dev', async () => {
    const mod = await parseModule('fixture-dev', { 'main.tf': bad['prod-deletion-protection'][0] ?? '' });
    expect(prodDeletionProtection(mod, 'dev')).toEqual([]);
    expect(prodDeletionProtection(mod, 'prod')).toHaveLength(1);
  });

  it('a module that hard-codes deletion_protection = false is caught even if prod asks for it', async () => {
    const mod = await parseModule('fixture-module', {
      'main.tf': `resource "aws_db_instance" "d" {
        deletion_protection = false
        storage_encrypted = true
        publicly_accessible = false
      }`,
    });
    expect(deletionProtectionWired(mod)).toHaveLength(1);
  });

  it('the wildcard policy allows a wildcard Deny (it only narrows access)', async () => {
    const mod = await parseModule('fixture-deny', {
      'main.tf': `data "aws_iam_policy_document" "p" {
        statement {
          effect = "Deny"
          actions = ["s3:*"]
          resources = ["*"]
        }
      }`,
    });
    expect(resourcePolicies['no-wildcard-iam-actions'](mod)).toEqual([]);
  });
});
