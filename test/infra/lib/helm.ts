import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { requireTool, run } from './tools.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..', '..');
const source = join(here, '..', 'helm-render', 'main.go');
const gocode = '/usr/share/gocode/src';

export class HelmRenderError extends Error {
  override readonly name = 'HelmRenderError';
  readonly code = 'helm_render_failed';
}

/**
 * Build test/infra/helm-render (Go text/template + sprig from Debian's golang packages, no
 * network) once per source version; the binary is cached under node_modules/.cache.
 */
export function buildRenderer(): string {
  const go = requireTool('go', 'golang-go');
  for (const [pkg, dir] of [
    ['golang-github-masterminds-sprig-dev', 'github.com/Masterminds/sprig'],
    ['golang-gopkg-yaml.v3-dev', 'gopkg.in/yaml.v3'],
  ] as const) {
    if (!existsSync(join(gocode, dir)))
      throw new HelmRenderError(`${gocode}/${dir} is missing: install the Debian package ${pkg}`);
  }
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const cache = join(repoRoot, 'node_modules', '.cache', 'devops-ai-helm-render', hash);
  const bin = join(cache, 'helm-render');
  if (existsSync(bin)) return bin;
  // GOPATH mode: Debian installs sprig v3 and semver v3 without their /v3 suffix, so a small
  // overlay GOPATH maps the import paths onto them.
  const overlay = join(cache, 'gopath', 'src', 'github.com', 'Masterminds');
  rmSync(join(cache, 'gopath'), { recursive: true, force: true });
  mkdirSync(join(overlay, 'sprig'), { recursive: true });
  mkdirSync(join(overlay, 'semver'), { recursive: true });
  symlinkSync(join(gocode, 'github.com/Masterminds/sprig'), join(overlay, 'sprig', 'v3'));
  symlinkSync(join(gocode, 'github.com/Masterminds/semver'), join(overlay, 'semver', 'v3'));
  const tmp = `${bin}.${process.pid}.tmp`;
  const r = run(go, ['build', '-o', tmp, source], {
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: `${join(cache, 'gopath')}:/usr/share/gocode`,
      GOCACHE: join(repoRoot, 'node_modules', '.cache', 'go-build'),
      GOFLAGS: '',
      GOPROXY: 'off',
      CGO_ENABLED: '0',
    },
  });
  if (r.status !== 0) throw new HelmRenderError(`go build failed:\n${r.stderr}`);
  renameSync(tmp, bin);
  return bin;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

export interface Rendered {
  objects: { source: string; object: K8sObject }[];
  values: Record<string, unknown>;
  dependencies: { name: string; version: string; repository: string; enabled: boolean; rendered: boolean }[];
  /** The top-level chart's rendered NOTES.txt ('' when it has none). */
  notes: string;
}

const rendererOutput = z.object({
  manifests: z.array(z.object({ source: z.string(), content: z.string() })),
  values: z.record(z.string(), z.unknown()),
  dependencies: z
    .array(
      z.object({
        name: z.string(),
        version: z.string(),
        repository: z.string(),
        enabled: z.boolean(),
        rendered: z.boolean(),
      }),
    )
    .nullable(),
  notes: z.string(),
});
const objectShape = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z.object({ name: z.string().min(1) }).passthrough(),
  })
  .passthrough();

/** Render a chart like `helm template`; every YAML document is parsed strictly (duplicate keys fail). */
export function renderChart(
  bin: string,
  chart: string,
  valueFiles: string[] = [],
  opts: { release?: string; namespace?: string; apiVersions?: string[] } = {},
): Rendered {
  const args = [
    '-chart',
    chart,
    '-release',
    opts.release ?? 'devops-ai',
    '-namespace',
    opts.namespace ?? 'devops-ai',
  ];
  for (const f of valueFiles) args.push('-f', f);
  if (opts.apiVersions) args.push('-api-versions', opts.apiVersions.join(','));
  const r = run(bin, args);
  if (r.status !== 0) throw new HelmRenderError(r.stderr.trim());
  const out = rendererOutput.parse(JSON.parse(r.stdout));
  const objects: Rendered['objects'] = [];
  for (const m of out.manifests) {
    for (const doc of parseAllDocuments(m.content, { uniqueKeys: true })) {
      if (doc.errors.length > 0)
        throw new HelmRenderError(`${m.source}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      const parsed = objectShape.safeParse(value);
      if (!parsed.success)
        throw new HelmRenderError(`${m.source}: not a Kubernetes object: ${parsed.error.message}`);
      objects.push({ source: m.source, object: parsed.data as K8sObject });
    }
  }
  return { objects, values: out.values, dependencies: out.dependencies ?? [], notes: out.notes };
}
