import {
  type HclBody,
  isRecord,
  nestedBlocks,
  references,
  resourcesOf,
  stringList,
  type TfModule,
} from './terraform.js';

export interface Violation {
  policy: PolicyName;
  where: string;
  message: string;
}

export type PolicyName =
  | 'no-public-bucket'
  | 'encrypted-stores'
  | 'private-databases'
  | 'no-wildcard-iam-actions'
  | 'bucket-lifecycle'
  | 'prod-deletion-protection';

type Policy = (mod: TfModule) => Violation[];

const at = (mod: TfModule, type: string, name: string) => `${mod.dir}: ${type}.${name}`;

/** The companion resources (e.g. aws_s3_bucket_public_access_block) that point at bucket `name`. */
function companions(mod: TfModule, type: string, bucket: string): HclBody[] {
  return resourcesOf(mod, type)
    .filter(([, body]) => references(body.bucket, `aws_s3_bucket.${bucket}`))
    .map(([, body]) => body);
}

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const PUBLIC_MEMBERS = new Set(['allUsers', 'allAuthenticatedUsers']);

export const noPublicBucket: Policy = (mod) => {
  const v: Violation[] = [];
  const add = (where: string, message: string) => v.push({ policy: 'no-public-bucket', where, message });
  for (const [name, body] of resourcesOf(mod, 'aws_s3_bucket')) {
    const blocks = companions(mod, 'aws_s3_bucket_public_access_block', name);
    const flags = [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ];
    if (!blocks.some((b) => flags.every((f) => b[f] === true))) {
      add(
        at(mod, 'aws_s3_bucket', name),
        'needs an aws_s3_bucket_public_access_block with all four flags true',
      );
    }
    if (typeof body.acl === 'string' && PUBLIC_ACLS.has(body.acl))
      add(at(mod, 'aws_s3_bucket', name), `acl ${body.acl}`);
  }
  for (const [name, body] of resourcesOf(mod, 'aws_s3_bucket_acl')) {
    if (typeof body.acl === 'string' && PUBLIC_ACLS.has(body.acl))
      add(at(mod, 'aws_s3_bucket_acl', name), `acl ${body.acl}`);
  }
  for (const [name, body] of resourcesOf(mod, 'aws_s3_bucket_public_access_block')) {
    for (const f of [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ]) {
      if (body[f] !== true) add(at(mod, 'aws_s3_bucket_public_access_block', name), `${f} is not true`);
    }
  }
  // An Allow to everyone in a policy document (bucket policies are written with these).
  for (const [name, doc] of mod.data.get('aws_iam_policy_document') ?? []) {
    for (const st of nestedBlocks(doc, 'statement')) {
      if ((st.effect ?? 'Allow') !== 'Allow') continue;
      for (const p of nestedBlocks(st, 'principals')) {
        if (p.type === '*' || stringList(p.identifiers).includes('*')) {
          add(at(mod, 'data.aws_iam_policy_document', name), 'allows the anonymous principal "*"');
        }
      }
    }
  }
  for (const [name, body] of resourcesOf(mod, 'google_storage_bucket')) {
    if (body.public_access_prevention !== 'enforced') {
      add(at(mod, 'google_storage_bucket', name), 'public_access_prevention must be "enforced"');
    }
    if (body.uniform_bucket_level_access !== true) {
      add(at(mod, 'google_storage_bucket', name), 'uniform_bucket_level_access must be true');
    }
  }
  for (const type of ['google_storage_bucket_iam_member', 'google_storage_bucket_iam_binding']) {
    for (const [name, body] of resourcesOf(mod, type)) {
      const members = [...stringList(body.member), ...stringList(body.members)];
      if (members.some((m) => PUBLIC_MEMBERS.has(m))) add(at(mod, type, name), 'grants access to allUsers');
    }
  }
  return v;
};

export const encryptedStores: Policy = (mod) => {
  const v: Violation[] = [];
  const add = (where: string, message: string) => v.push({ policy: 'encrypted-stores', where, message });
  for (const [name] of resourcesOf(mod, 'aws_s3_bucket')) {
    const sse = companions(mod, 'aws_s3_bucket_server_side_encryption_configuration', name);
    const ok = sse.some((b) =>
      nestedBlocks(b, 'rule').some((r) =>
        nestedBlocks(r, 'apply_server_side_encryption_by_default').some(
          (d) => typeof d.sse_algorithm === 'string' && d.sse_algorithm !== '',
        ),
      ),
    );
    if (!ok) add(at(mod, 'aws_s3_bucket', name), 'needs default server-side encryption');
  }
  for (const type of ['aws_db_instance', 'aws_rds_cluster']) {
    for (const [name, body] of resourcesOf(mod, type)) {
      if (body.storage_encrypted !== true) add(at(mod, type, name), 'storage_encrypted must be true');
    }
  }
  const needsKey: [string, string][] = [
    ['aws_secretsmanager_secret', 'kms_key_id'],
    ['aws_cloudtrail', 'kms_key_id'],
    ['aws_sns_topic', 'kms_master_key_id'],
  ];
  for (const [type, attr] of needsKey) {
    for (const [name, body] of resourcesOf(mod, type)) {
      if (typeof body[attr] !== 'string' || body[attr] === '')
        add(at(mod, type, name), `${attr} must be set`);
    }
  }
  for (const [name, body] of resourcesOf(mod, 'aws_eks_cluster')) {
    if (nestedBlocks(body, 'encryption_config').length === 0) {
      add(at(mod, 'aws_eks_cluster', name), 'needs encryption_config for Secrets');
    }
  }
  for (const [name, body] of resourcesOf(mod, 'aws_launch_template')) {
    for (const bdm of nestedBlocks(body, 'block_device_mappings')) {
      for (const ebs of nestedBlocks(bdm, 'ebs')) {
        if (ebs.encrypted !== true)
          add(at(mod, 'aws_launch_template', name), 'EBS volumes must be encrypted');
      }
    }
  }
  for (const [name, body] of resourcesOf(mod, 'aws_ebs_volume')) {
    if (body.encrypted !== true) add(at(mod, 'aws_ebs_volume', name), 'encrypted must be true');
  }
  for (const [name, body] of resourcesOf(mod, 'google_sql_database_instance')) {
    const ipc = nestedBlocks(body, 'settings').flatMap((s) => nestedBlocks(s, 'ip_configuration'));
    if (
      !ipc.some(
        (c) => c.ssl_mode === 'ENCRYPTED_ONLY' || c.ssl_mode === 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED',
      )
    ) {
      add(
        at(mod, 'google_sql_database_instance', name),
        'connections must be encrypted (ssl_mode ENCRYPTED_ONLY)',
      );
    }
  }
  return v;
};

const INTERNET = new Set(['0.0.0.0/0', '::/0']);

export const privateDatabases: Policy = (mod) => {
  const v: Violation[] = [];
  const add = (where: string, message: string) => v.push({ policy: 'private-databases', where, message });
  for (const type of ['aws_db_instance', 'aws_rds_cluster_instance']) {
    for (const [name, body] of resourcesOf(mod, type)) {
      if (body.publicly_accessible !== false)
        add(at(mod, type, name), 'publicly_accessible must be explicitly false');
    }
  }
  // Nothing in the platform's network is open to the internet on ingress.
  for (const [name, body] of resourcesOf(mod, 'aws_vpc_security_group_ingress_rule')) {
    if (typeof body.cidr_ipv4 === 'string' && INTERNET.has(body.cidr_ipv4)) {
      add(at(mod, 'aws_vpc_security_group_ingress_rule', name), 'ingress from the internet');
    }
    if (typeof body.cidr_ipv6 === 'string' && INTERNET.has(body.cidr_ipv6)) {
      add(at(mod, 'aws_vpc_security_group_ingress_rule', name), 'ingress from the internet');
    }
  }
  for (const [name, body] of resourcesOf(mod, 'aws_security_group_rule')) {
    const cidrs = [...stringList(body.cidr_blocks), ...stringList(body.ipv6_cidr_blocks)];
    if (body.type === 'ingress' && cidrs.some((c) => INTERNET.has(c))) {
      add(at(mod, 'aws_security_group_rule', name), 'ingress from the internet');
    }
  }
  for (const [name, body] of resourcesOf(mod, 'aws_security_group')) {
    for (const ing of nestedBlocks(body, 'ingress')) {
      const cidrs = [...stringList(ing.cidr_blocks), ...stringList(ing.ipv6_cidr_blocks)];
      if (cidrs.some((c) => INTERNET.has(c)))
        add(at(mod, 'aws_security_group', name), 'ingress from the internet');
    }
  }
  for (const [name, body] of resourcesOf(mod, 'google_sql_database_instance')) {
    const ipc = nestedBlocks(body, 'settings').flatMap((s) => nestedBlocks(s, 'ip_configuration'));
    if (ipc.length === 0 || ipc.some((c) => c.ipv4_enabled !== false)) {
      add(at(mod, 'google_sql_database_instance', name), 'ipv4_enabled must be false (private IP only)');
    }
    for (const c of ipc) {
      for (const n of nestedBlocks(c, 'authorized_networks')) {
        if (typeof n.value === 'string' && INTERNET.has(n.value)) {
          add(at(mod, 'google_sql_database_instance', name), 'authorized network 0.0.0.0/0');
        }
      }
    }
  }
  // A database module placed in public subnets would be one security-group rule away from the internet.
  for (const [name, call] of mod.modules) {
    if (!/\/(rds|cloudsql)$/.test(String(call.source ?? ''))) continue;
    if (JSON.stringify(call.private_subnet_ids ?? '').includes('public')) {
      add(`${mod.dir}: module.${name}`, 'database placed in public subnets');
    }
  }
  for (const [name, body] of resourcesOf(mod, 'aws_db_subnet_group')) {
    if (JSON.stringify(body.subnet_ids ?? '').includes('public')) {
      add(at(mod, 'aws_db_subnet_group', name), 'subnet group built from public subnets');
    }
  }
  for (const [name, body] of resourcesOf(mod, 'google_compute_firewall')) {
    const opensIngress =
      (body.direction ?? 'INGRESS') === 'INGRESS' && nestedBlocks(body, 'allow').length > 0;
    if (opensIngress && stringList(body.source_ranges).some((c) => INTERNET.has(c))) {
      add(at(mod, 'google_compute_firewall', name), 'allows ingress from the internet');
    }
  }
  return v;
};

const ADMIN_MANAGED_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const PRIMITIVE_GCP_ROLES = new Set(['roles/owner', 'roles/editor']);

export const noWildcardIamActions: Policy = (mod) => {
  const v: Violation[] = [];
  const add = (where: string, message: string) =>
    v.push({ policy: 'no-wildcard-iam-actions', where, message });
  for (const [name, doc] of mod.data.get('aws_iam_policy_document') ?? []) {
    for (const st of nestedBlocks(doc, 'statement')) {
      if ((st.effect ?? 'Allow') !== 'Allow') continue; // a wildcard Deny only narrows access
      const wild = stringList(st.actions).filter((a) => a.includes('*'));
      if (wild.length > 0)
        add(at(mod, 'data.aws_iam_policy_document', name), `allows wildcard actions ${wild.join(', ')}`);
      if (st.not_actions !== undefined)
        add(at(mod, 'data.aws_iam_policy_document', name), 'uses not_actions');
    }
  }
  // Inline JSON policies written with jsonencode().
  for (const type of [
    'aws_iam_role_policy',
    'aws_iam_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
  ]) {
    for (const [name, body] of resourcesOf(mod, type)) {
      const text = typeof body.policy === 'string' ? body.policy : JSON.stringify(body.policy ?? '');
      if (/"?Action"?\s*[=:]\s*\[?[^\]}]*"[^"]*\*[^"]*"/.test(text))
        add(at(mod, type, name), 'inline policy with a wildcard action');
    }
  }
  for (const [name, body] of resourcesOf(mod, 'aws_iam_role_policy_attachment')) {
    if (typeof body.policy_arn === 'string' && ADMIN_MANAGED_POLICIES.test(body.policy_arn)) {
      add(at(mod, 'aws_iam_role_policy_attachment', name), `attaches ${body.policy_arn}`);
    }
  }
  for (const type of ['google_project_iam_member', 'google_project_iam_binding']) {
    for (const [name, body] of resourcesOf(mod, type)) {
      if (typeof body.role === 'string' && PRIMITIVE_GCP_ROLES.has(body.role))
        add(at(mod, type, name), `grants ${body.role}`);
    }
  }
  return v;
};

export const bucketLifecycle: Policy = (mod) => {
  const v: Violation[] = [];
  for (const [name] of resourcesOf(mod, 'aws_s3_bucket')) {
    const cfgs = companions(mod, 'aws_s3_bucket_lifecycle_configuration', name);
    if (!cfgs.some((c) => nestedBlocks(c, 'rule').length > 0)) {
      v.push({
        policy: 'bucket-lifecycle',
        where: at(mod, 'aws_s3_bucket', name),
        message: 'needs an aws_s3_bucket_lifecycle_configuration with at least one rule',
      });
    }
  }
  for (const [name, body] of resourcesOf(mod, 'google_storage_bucket')) {
    if (nestedBlocks(body, 'lifecycle_rule').length === 0) {
      v.push({
        policy: 'bucket-lifecycle',
        where: at(mod, 'google_storage_bucket', name),
        message: 'needs a lifecycle_rule',
      });
    }
  }
  return v;
};

const PROTECTED_MODULES = /\/(rds|cloudsql|gke)$/;
const DESTROYABLE_MODULES = /\/(s3|gcs|audit)$/;

/**
 * In an environment named prod: every database (and GKE cluster) module gets deletion_protection
 * = true written out, and no bucket module may be force-destroyed. Modules must also pass the
 * flag through to the resource (checked on the modules themselves by `deletionProtectionWired`).
 */
export function prodDeletionProtection(mod: TfModule, environment: string): Violation[] {
  if (environment !== 'prod') return [];
  const v: Violation[] = [];
  const add = (where: string, message: string) =>
    v.push({ policy: 'prod-deletion-protection', where, message });
  for (const [name, call] of mod.modules) {
    const source = typeof call.source === 'string' ? call.source : '';
    if (PROTECTED_MODULES.test(source) && call.deletion_protection !== true) {
      add(`${mod.dir}: module.${name}`, 'prod must set deletion_protection = true');
    }
    if (DESTROYABLE_MODULES.test(source) && call.force_destroy === true) {
      add(`${mod.dir}: module.${name}`, 'prod must not set force_destroy = true');
    }
  }
  return v;
}

/** Inside a module: the database resources take deletion protection from the input, never hard-coded off. */
export function deletionProtectionWired(mod: TfModule): Violation[] {
  const v: Violation[] = [];
  for (const type of [
    'aws_db_instance',
    'aws_rds_cluster',
    'google_sql_database_instance',
    'google_container_cluster',
  ]) {
    for (const [name, body] of resourcesOf(mod, type)) {
      const dp = body.deletion_protection;
      if (dp !== true && !references(dp, 'var.deletion_protection')) {
        v.push({
          policy: 'prod-deletion-protection',
          where: at(mod, type, name),
          message: 'deletion_protection must be true or come from var.deletion_protection',
        });
      }
    }
  }
  return v;
}

export const resourcePolicies: Record<Exclude<PolicyName, 'prod-deletion-protection'>, Policy> = {
  'no-public-bucket': noPublicBucket,
  'encrypted-stores': encryptedStores,
  'private-databases': privateDatabases,
  'no-wildcard-iam-actions': noWildcardIamActions,
  'bucket-lifecycle': bucketLifecycle,
};

/** Every policy that applies to one parsed directory. */
export function checkAll(mod: TfModule, environment?: string): Violation[] {
  const out = Object.values(resourcePolicies).flatMap((p) => p(mod));
  out.push(...deletionProtectionWired(mod));
  if (environment !== undefined) out.push(...prodDeletionProtection(mod, environment));
  return out;
}

export { isRecord };
