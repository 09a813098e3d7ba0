import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** One block body as @cdktf/hcl2json returns it: attributes are values, nested blocks are arrays. */
export type HclBody = Record<string, unknown>;

/** A Terraform module (every .tf file of one directory) parsed and merged. */
export interface TfModule {
  dir: string;
  files: string[];
  resources: Map<string, Map<string, HclBody>>;
  data: Map<string, Map<string, HclBody>>;
  modules: Map<string, HclBody>;
  variables: Map<string, HclBody>;
  outputs: Map<string, HclBody>;
  locals: HclBody[];
}

export class TerraformParseError extends Error {
  override readonly name = 'TerraformParseError';
  readonly code = 'terraform_parse_failed';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot parse ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every directory under `root` holding at least one .tf file, sorted. */
export function listTerraformDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir).sort();
    if (entries.some((e) => e.endsWith('.tf'))) out.push(dir);
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

function blocksOf(value: unknown): HclBody[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** Parse HCL sources (file name -> text) into one merged module. */
export async function parseModule(dir: string, sources: Record<string, string>): Promise<TfModule> {
  const mod: TfModule = {
    dir,
    files: Object.keys(sources).sort(),
    resources: new Map(),
    data: new Map(),
    modules: new Map(),
    variables: new Map(),
    outputs: new Map(),
    locals: [],
  };
  for (const file of mod.files) {
    let parsed: Record<string, unknown>;
    try {
      parsed = await parse(file, sources[file] ?? '');
    } catch (err) {
      throw new TerraformParseError(join(dir, file), err);
    }
    for (const [kind, target] of [
      ['resource', mod.resources],
      ['data', mod.data],
    ] as const) {
      const byType = parsed[kind];
      if (!isRecord(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        if (!isRecord(byName)) continue;
        const m = target.get(type) ?? new Map<string, HclBody>();
        for (const [name, body] of Object.entries(byName)) {
          const b = blocksOf(body)[0];
          if (b) m.set(name, b);
        }
        target.set(type, m);
      }
    }
    for (const [kind, target] of [
      ['module', mod.modules],
      ['variable', mod.variables],
      ['output', mod.outputs],
    ] as const) {
      const byName = parsed[kind];
      if (!isRecord(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const b = blocksOf(body)[0];
        if (b) target.set(name, b);
      }
    }
    mod.locals.push(...blocksOf(parsed.locals));
  }
  return mod;
}

/** Parse every .tf file of a directory. */
export async function loadModule(dir: string): Promise<TfModule> {
  const sources: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.tf')) sources[f] = readFileSync(join(dir, f), 'utf8');
  }
  return parseModule(dir, sources);
}

export function relativeTo(root: string, p: string): string {
  return relative(root, p) || '.';
}

/** Nested block bodies: static `name { }` blocks plus the `content` of `dynamic "name"` blocks. */
export function nestedBlocks(body: HclBody, name: string): HclBody[] {
  const out = blocksOf(body[name]);
  for (const dyn of blocksOf(body.dynamic)) {
    for (const d of blocksOf(dyn[name])) out.push(...blocksOf(d.content));
  }
  return out;
}

/** Attribute values that are string lists or single strings, as strings. */
export function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Does an HCL expression string reference `<type>.<name>` (e.g. aws_s3_bucket.this)? */
export function references(v: unknown, address: string): boolean {
  return typeof v === 'string' && new RegExp(`\\b${address.replace('.', '\\.')}\\b`).test(v);
}

export function resourcesOf(mod: TfModule, type: string): [string, HclBody][] {
  return [...(mod.resources.get(type) ?? new Map<string, HclBody>()).entries()];
}
