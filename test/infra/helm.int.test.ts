import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseServerRuntime } from '@devops-ai/mcp-kit';
import AjvModule from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { hostConfigFromEnv, hostConfigSchema } from '../../host/src/config.js';
import { buildRenderer, type K8sObject, type Rendered, renderChart } from './lib/helm.js';
import { validateObject } from './lib/k8s-validate.js';
import { requireTool, run } from './lib/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const chart = join(root, 'charts', 'devops-ai');
const umbrella = join(root, 'charts', 'devops-ai-stack');
const obs = join(root, 'observability');
const fixture = join(root, 'test', 'infra', 'fixtures', 'helm-faithful');
const environments = ['dev', 'staging', 'prod'] as const;
const servers = ['cost', 'metrics', 'k8s', 'github', 'forecasting'] as const;

const Ajv = AjvModule.default;
const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8')) as object;
const validateValues = new Ajv({ allErrors: true, strict: false }).compile(schema);

let bin: string;
beforeAll(() => {
  bin = buildRenderer();
}, 120_000);

function tmpValues(values: unknown): string {
  const f = join(mkdtempSync(join(tmpdir(), 'values-')), 'values.yaml');
  writeFileSync(f, stringifyYaml(values));
  return f;
}

/** The `data` of the single ConfigMap the fixture chart renders. */
function fixtureData(r: Rendered): Record<string, string> {
  const cm = r.objects[0]?.object as unknown as { data?: Record<string, string> } | undefined;
  if (!cm?.data) throw new Error('the fixture rendered no ConfigMap');
  return cm.data;
}

/** Set a nested key of a plain object (creating nothing: the path must exist up to its parent). */
function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[path[path.length - 1] ?? ''] = value;
}

const byKind = (r: Rendered, kind: string) => r.objects.map((o) => o.object).filter((o) => o.kind === kind);
const named = (r: Rendered, kind: string, name: string): K8sObject => {
  const o = byKind(r, kind).find((x) => x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not rendered`);
  return o;
};

interface PodSpecLike {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  containers: {
    name: string;
    image: string;
    securityContext?: {
      readOnlyRootFilesystem?: boolean;
      allowPrivilegeEscalation?: boolean;
      capabilities?: { drop?: string[] };
    };
    resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    livenessProbe?: unknown;
    readinessProbe?: unknown;
    volumeMounts?: { mountPath: string }[];
  }[];
}
const podSpec = (o: K8sObject): PodSpecLike =>
  (o as unknown as { spec: { template: { spec: PodSpecLike } } }).spec.template.spec;

describe('helm-render: faithful to helm template on a fixture chart', () => {
  it('the renderer source is gofmt-clean', () => {
    const gofmt = requireTool('gofmt', 'golang-go');
    const r = run(gofmt, ['-l', join(root, 'test', 'infra', 'helm-render')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('renders include, tpl, toYaml, quote, join, Chart/Release/Capabilities like Helm', () => {
    const r = renderChart(bin, fixture, [], { release: 'rel', namespace: 'ns' });
    expect(r.objects).toHaveLength(1); // empty.yaml renders to nothing and is dropped
    const cm = r.objects[0]?.object as unknown as {
      metadata: { name: string; labels: object };
      data: Record<string, string>;
    };
    expect(cm.metadata.name).toBe('rel-faithful');
    expect(cm.metadata.labels).toEqual({ a: '1', b: '2' });
    expect(cm.data).toMatchObject({
      chart: 'faithful-1.2.3',
      appVersion: '9.9',
      namespace: 'ns',
      replicas: '3',
      big: '1e+06', // Helm reads numbers as float64, and quote prints them with %v
      list: 'x,y',
      tpl: 'hello demo',
      missing: '', // missingkey=zero and "<no value>" removed, as in Helm
      upper: 'DEMO',
      nested: '{"drop":"me","keep":true}',
      hasKube: 'true',
      hasMonitoring: 'false',
      lookup: '0', // helm template has no cluster: lookup is empty
    });
  });

  it('--api-versions adds to .Capabilities.APIVersions', () => {
    const r = renderChart(bin, fixture, [], { apiVersions: ['monitoring.coreos.com/v1'] });
    expect(fixtureData(r).hasMonitoring).toBe('true');
  });

  it('values files merge deeply and null deletes a default key', () => {
    const r = renderChart(bin, fixture, [tmpValues({ nested: { drop: null, extra: 1 } })]);
    expect(fixtureData(r).nested).toBe('{"extra":1,"keep":true}');
  });

  it('required and fail stop the render with their message', () => {
    expect(() => renderChart(bin, fixture, [tmpValues({ mode: 'required' })])).toThrow(
      /set \.Values\.mustHave/,
    );
    expect(() => renderChart(bin, fixture, [tmpValues({ mode: 'fail' })])).toThrow(/refusing on purpose/);
  });

  it('comparing a value with an int literal fails exactly as in Helm (values are float64)', () => {
    expect(() => renderChart(bin, fixture, [tmpValues({ mode: 'compare' })])).toThrow(
      /incompatible types for comparison/,
    );
  });
});

describe('platform chart (charts/devops-ai)', () => {
  const cases: [string, string[]][] = [
    ['default values', []],
    ...environments.map((e): [string, string[]] => [`${e} values`, [join(chart, 'ci', `${e}-values.yaml`)]]),
  ];

  for (const [label, files] of cases) {
    describe(label, () => {
      let r: Rendered;
      beforeAll(() => {
        r = renderChart(bin, chart, files);
      });

      it('the merged values satisfy values.schema.json', () => {
        const ok = validateValues(r.values);
        expect(validateValues.errors ?? [], JSON.stringify(validateValues.errors)).toEqual([]);
        expect(ok).toBe(true);
      });

      it('every rendered manifest is valid against the Kubernetes schemas', async () => {
        expect(r.objects.length).toBeGreaterThan(20);
        const problems: string[] = [];
        for (const { source, object } of r.objects) {
          try {
            await validateObject(object);
          } catch (err) {
            problems.push(`${source}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        expect(problems).toEqual([]);
      });

      it('object names are unique per kind and namespaced objects carry the release namespace', () => {
        const keys = r.objects.map(({ object: o }) => `${o.kind}/${o.metadata.name}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const { object: o } of r.objects) {
          if (['ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) continue;
          // The one exception: the k8s server's get on the cluster autoscaler's status ConfigMap.
          const autoscalerStatus =
            ['Role', 'RoleBinding'].includes(o.kind) && o.metadata.name === 'devops-ai-k8s-autoscaler-status';
          expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(
            autoscalerStatus ? 'kube-system' : 'devops-ai',
          );
        }
      });

      it('the k8s server reads no Secret or ConfigMap cluster-wide; in kube-system only the autoscaler status', () => {
        type Rule = { resources?: string[]; resourceNames?: string[]; verbs?: string[] };
        const rules = (o: K8sObject) => (o as unknown as { rules?: Rule[] }).rules ?? [];
        const cluster = rules(named(r, 'ClusterRole', 'devops-ai-k8s')).flatMap((x) => x.resources ?? []);
        expect(cluster).toContain('pods');
        expect(cluster).not.toContain('secrets');
        expect(cluster).not.toContain('configmaps');
        expect(rules(named(r, 'Role', 'devops-ai-k8s-autoscaler-status'))).toEqual([
          {
            apiGroups: [''],
            resources: ['configmaps'],
            resourceNames: ['cluster-autoscaler-status'],
            verbs: ['get'],
          },
        ]);
        const binding = named(r, 'RoleBinding', 'devops-ai-k8s-autoscaler-status') as unknown as {
          subjects: Array<{ name: string; namespace: string }>;
        };
        expect(binding.subjects).toEqual([
          { kind: 'ServiceAccount', name: 'devops-ai-k8s', namespace: 'devops-ai' },
        ]);
      });

      it('every mutating k8s tool has the one write its call needs, and no other write', () => {
        type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[] };
        const rules = (named(r, 'ClusterRole', 'devops-ai-k8s') as unknown as { rules: Rule[] }).rules;
        const reads = ['get', 'list', 'watch'];
        const writes = rules
          .flatMap((x) =>
            (x.resources ?? []).flatMap((res) =>
              (x.verbs ?? [])
                .filter((v) => !reads.includes(v))
                .map((v) => `${x.apiGroups?.[0] || 'core'}/${res}:${v}`),
            ),
          )
          .sort();
        expect(writes).toEqual(
          [
            'apps/deployments/scale:patch', // k8s_scale_deployment
            'apps/deployments/scale:update',
            'apps/statefulsets/scale:patch',
            'apps/statefulsets/scale:update',
            'apps/deployments:patch', // k8s_restart_deployment
            'autoscaling/horizontalpodautoscalers:patch', // k8s_patch_hpa
            'core/pods:delete', // k8s_delete_pod
          ].sort(),
        );
      });

      it('the host and each MCP server have a Deployment, Service and ServiceAccount', () => {
        for (const c of ['host', ...servers]) {
          const name = `devops-ai-${c}`;
          expect(podSpec(named(r, 'Deployment', name)).serviceAccountName).toBe(name);
          named(r, 'Service', name);
          named(r, 'ServiceAccount', name);
        }
      });

      it('every container runs non-root with a read-only root filesystem, probes and resources', () => {
        for (const d of [...byKind(r, 'Deployment'), ...byKind(r, 'Job')]) {
          const spec = podSpec(d);
          expect(spec.securityContext?.runAsNonRoot, d.metadata.name).toBe(true);
          expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
          for (const c of spec.containers) {
            expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
            expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
            expect(c.securityContext?.capabilities?.drop).toEqual(['ALL']);
            expect(c.resources?.requests && c.resources.limits, c.name).toBeTruthy();
            expect(
              c.volumeMounts?.some((m) => m.mountPath === '/tmp'),
              c.name,
            ).toBe(true);
            if (d.kind === 'Deployment') {
              expect(c.livenessProbe, c.name).toBeDefined();
              expect(c.readinessProbe, c.name).toBeDefined();
            }
          }
        }
      });

      it('only the k8s server mounts a Kubernetes API token', () => {
        for (const d of byKind(r, 'Deployment')) {
          expect(podSpec(d).automountServiceAccountToken, d.metadata.name).toBe(
            d.metadata.name === 'devops-ai-k8s',
          );
        }
      });

      it('MCP servers are reachable only from the host (NetworkPolicy)', () => {
        const policies = byKind(r, 'NetworkPolicy') as unknown as {
          metadata: { name: string };
          spec: {
            podSelector: { matchLabels?: Record<string, string> };
            ingress?: { from?: { podSelector?: { matchLabels?: Record<string, string> } }[] }[];
          };
        }[];
        for (const s of servers) {
          const p = policies.find((x) => x.metadata.name === `devops-ai-${s}`);
          expect(p?.spec.podSelector.matchLabels?.['app.kubernetes.io/component']).toBe(s);
          const sources = (p?.spec.ingress ?? []).flatMap((i) => i.from ?? []);
          expect(sources.length).toBeGreaterThan(0);
          for (const src of sources)
            expect(src.podSelector?.matchLabels?.['app.kubernetes.io/component']).toBe('host');
        }
        expect(policies.some((p) => p.metadata.name === 'devops-ai-default-deny')).toBe(true);
      });

      it('the host is told where every MCP server listens, and both sides get the token (mcp-kit/host env contract)', () => {
        const cm = named(r, 'ConfigMap', 'devops-ai-host') as unknown as { data: Record<string, string> };
        const host = podSpec(named(r, 'Deployment', 'devops-ai-host')).containers[0] as unknown as {
          env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
        };
        expect(cm.data.DEVOPS_AI_HOST).toBe('0.0.0.0');
        for (const s of servers) {
          expect(cm.data[`MCP_${s.toUpperCase()}_URL`]).toBe(`http://devops-ai-${s}.devops-ai.svc:8080/mcp`);
          const token = host.env.find((e) => e.name === `MCP_${s.toUpperCase()}_TOKEN`)?.valueFrom
            ?.secretKeyRef;
          expect(token?.name, s).toBe('devops-ai-mcp-token');
          const server = podSpec(named(r, 'Deployment', `devops-ai-${s}`)).containers[0] as unknown as {
            env: {
              name: string;
              value?: string;
              valueFrom?: { secretKeyRef?: { name: string; key: string } };
            }[];
          };
          const env = new Map(server.env.map((e) => [e.name, e]));
          expect(env.get('MCP_TRANSPORT')?.value).toBe('http');
          expect(env.get('MCP_HOST')?.value).toBe('0.0.0.0');
          expect(env.get('MCP_PORT')?.value).toBe('8080');
          expect(env.get('MCP_TOKEN')?.valueFrom?.secretKeyRef).toEqual(token);
          // mcp-kit's DNS-rebinding guard must accept the Service name the host dials.
          expect(env.get('MCP_ALLOWED_HOSTS')?.value?.split(',')).toContain(`devops-ai-${s}.devops-ai.svc`);
        }
        expect(
          host.env.find((e) => e.name === 'DEVOPS_AI_ALERTMANAGER_TOKEN')?.valueFrom?.secretKeyRef?.name,
        ).toBe('devops-ai-alertmanager-webhook');
      });
    });
  }

  it('the rendered environment configures the real host and MCP servers (contract with host/src/config.ts and mcp-kit)', () => {
    const r = renderChart(bin, chart, [join(chart, 'ci', 'prod-values.yaml')]);
    const secret = 'x'.repeat(32);
    type EnvVar = { name: string; value?: string; valueFrom?: unknown };
    const envOf = (deployment: string, extra: Record<string, string> = {}): Record<string, string> => {
      const c = podSpec(named(r, 'Deployment', deployment)).containers[0] as unknown as { env?: EnvVar[] };
      const env: Record<string, string> = { ...extra };
      for (const e of c.env ?? []) env[e.name] = e.value ?? secret; // secretKeyRef -> a fake secret value
      return env;
    };
    const cm = named(r, 'ConfigMap', 'devops-ai-host') as unknown as { data: Record<string, string> };
    const host = hostConfigSchema.parse(hostConfigFromEnv(envOf('devops-ai-host', cm.data)));
    expect(host.host).toBe('0.0.0.0');
    expect(host.port).toBe(8787);
    expect(host.dataDir).toBe('/data');
    expect(host.servers.k8s.url).toBe('http://devops-ai-k8s.devops-ai.svc:8080/mcp');
    expect(host.servers.metrics.token).toBe(secret);
    expect(host.alertmanagerToken).toBe(secret);
    for (const s of servers) {
      const rt = parseServerRuntime([], envOf(`devops-ai-${s}`));
      expect(rt).toMatchObject({ transport: 'http', host: '0.0.0.0', port: 8080, token: secret });
      // The Host header the host sends (the Service's DNS name) passes mcp-kit's guard.
      expect(rt.allowedHostnames).toContain(new URL(host.servers.k8s.url).hostname.replace('k8s', s));
    }
  });

  it('servers get an HPA and a PDB by default; prod scales each from two replicas', () => {
    const def = renderChart(bin, chart);
    for (const s of servers) {
      named(def, 'HorizontalPodAutoscaler', `devops-ai-${s}`);
      named(def, 'PodDisruptionBudget', `devops-ai-${s}`);
    }
    const prod = renderChart(bin, chart, [join(chart, 'ci', 'prod-values.yaml')]);
    for (const s of servers) {
      const hpa = named(prod, 'HorizontalPodAutoscaler', `devops-ai-${s}`) as unknown as {
        spec: { minReplicas: number };
      };
      expect(hpa.spec.minReplicas).toBe(2);
    }
  });

  it('the PrometheusRule carries exactly the shipped rules, and promtool accepts them', () => {
    const promtool = requireTool('promtool', 'prometheus');
    const r = renderChart(bin, chart, [join(chart, 'ci', 'dev-values.yaml')]);
    const rule = byKind(r, 'PrometheusRule')[0] as unknown as { spec: { groups: { name: string }[] } };
    const shipped = readdirSync(join(obs, 'prometheus', 'rules'))
      .sort()
      .flatMap(
        (f) =>
          (
            parseYaml(readFileSync(join(obs, 'prometheus', 'rules', f), 'utf8')) as {
              groups: { name: string }[];
            }
          ).groups,
      );
    expect(rule.spec.groups).toEqual(shipped);
    const f = join(mkdtempSync(join(tmpdir(), 'prometheusrule-')), 'rules.yml');
    writeFileSync(f, stringifyYaml({ groups: rule.spec.groups }));
    const out = run(promtool, ['check', 'rules', f]);
    expect(out.status, out.stdout + out.stderr).toBe(0);
  });

  it('the dashboard ConfigMaps hold the shipped dashboards byte for byte', () => {
    const r = renderChart(bin, chart, [join(chart, 'ci', 'dev-values.yaml')]);
    const cms = byKind(r, 'ConfigMap').filter(
      (c) => c.metadata.labels?.grafana_dashboard === '1',
    ) as unknown as {
      data: Record<string, string>;
    }[];
    const files = readdirSync(join(obs, 'grafana', 'dashboards')).sort();
    expect(cms.flatMap((c) => Object.keys(c.data)).sort()).toEqual(files);
    for (const c of cms) {
      for (const [file, body] of Object.entries(c.data)) {
        expect(body).toBe(readFileSync(join(obs, 'grafana', 'dashboards', file), 'utf8').trimEnd());
      }
    }
  });

  it("the chart's copies of rules, dashboards and k6 scripts match observability/ (cp them after editing)", () => {
    const pairs: [string, string][] = [
      [join(obs, 'prometheus', 'rules'), join(chart, 'files', 'prometheus')],
      [join(obs, 'grafana', 'dashboards'), join(chart, 'files', 'dashboards')],
      [join(obs, 'k6'), join(chart, 'files', 'k6')],
      [join(obs, 'k6', 'lib'), join(chart, 'files', 'k6', 'lib')],
    ];
    for (const [src, copy] of pairs) {
      const files = readdirSync(src).filter((f) => /\.(yml|json|js)$/.test(f));
      expect(
        readdirSync(copy)
          .filter((f) => /\.(yml|json|js)$/.test(f))
          .sort(),
      ).toEqual(files.sort());
      for (const f of files) {
        expect(readFileSync(join(copy, f), 'utf8'), relative(root, join(copy, f))).toBe(
          readFileSync(join(src, f), 'utf8'),
        );
      }
    }
  });

  it('values.schema.json rejects unsafe or malformed values', () => {
    const base = renderChart(bin, chart).values;
    const bad: [string, string[], unknown][] = [
      ['writable root filesystem', ['securityContext', 'readOnlyRootFilesystem'], false],
      ['root user allowed', ['podSecurityContext', 'runAsNonRoot'], false],
      ['unknown database', ['host', 'database', 'type'], 'mysql'],
      ['privileged port', ['mcpServers', 'cost', 'port'], 80],
      ['typo in a key', ['mcpServers', 'k8s', 'autoscalling'], { enabled: true }],
      ['a sixth server', ['mcpServers', 'extra'], { enabled: true }],
    ];
    for (const [what, path, value] of bad) {
      const v = structuredClone(base);
      setPath(v, path, value);
      expect(validateValues(v), what).toBe(false);
    }
  });

  it('NOTES.txt renders with the port-forward command and the webhook URL', () => {
    const r = renderChart(bin, chart);
    expect(r.notes).toContain('port-forward svc/devops-ai-host 8787');
    expect(r.notes).toContain('http://devops-ai-host.devops-ai.svc:8787/webhooks/alertmanager');
  });

  it('refuses several host replicas on SQLite (template fail)', () => {
    expect(() => renderChart(bin, chart, [tmpValues({ host: { replicas: 2 } })])).toThrow(
      /needs host.database.type=postgres/,
    );
  });

  it('every image the chart references is built by a Dockerfile in docker/', () => {
    const r = renderChart(bin, chart);
    const images = new Set(byKind(r, 'Deployment').flatMap((d) => podSpec(d).containers.map((c) => c.image)));
    const dockerfiles = readdirSync(join(root, 'docker')).filter((f) => f.endsWith('.Dockerfile'));
    for (const image of images) {
      const repo = /^ghcr\.io\/devops-ai\/([a-z0-9-]+):/.exec(image)?.[1];
      expect(repo, image).toBeDefined();
      const file = repo === 'host' ? 'host.Dockerfile' : 'mcp-server.Dockerfile';
      expect(dockerfiles).toContain(file);
      const text = readFileSync(join(root, 'docker', file), 'utf8');
      expect(text, file).toContain(`ghcr.io/devops-ai/${repo === 'host' ? 'host' : 'mcp-'}`);
    }
  });
});

describe('manifest validation catches bad objects (the check is live)', () => {
  const deployment = (port: unknown): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: {
        metadata: { labels: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: port }] }] },
      },
    },
  });

  it('accepts a well-formed Deployment', async () => {
    await expect(validateObject(deployment(8080))).resolves.toBeUndefined();
  });

  it('rejects a wrongly typed field', async () => {
    await expect(validateObject(deployment('http'))).rejects.toThrow(/containerPort/);
  });

  it('rejects a removed API version (policy/v1beta1 PodDisruptionBudget)', async () => {
    await expect(
      validateObject({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'x' } }),
    ).rejects.toThrow(/no longer served/);
  });

  it('rejects a misspelled optional field (strict field check)', async () => {
    const d = deployment(8080) as unknown as {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    const c = d.spec.template.spec.containers[0];
    if (c) c.readinesProbe = { httpGet: { path: '/healthz', port: 8080 } };
    await expect(validateObject(d as unknown as K8sObject)).rejects.toThrow(
      /unknown field\(s\) spec\.template\.spec\.containers\[0\]\.readinesProbe/,
    );
  });

  it('rejects a kind that does not exist', async () => {
    await expect(
      validateObject({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }),
    ).rejects.toThrow(/no schema/);
  });

  it('rejects a ServiceMonitor without endpoints', async () => {
    await expect(
      validateObject({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'x' },
        spec: { selector: {}, endpoints: [] },
      }),
    ).rejects.toThrow(/endpoints/);
  });
});

describe('umbrella chart (charts/devops-ai-stack)', () => {
  interface Dep {
    name: string;
    alias?: string;
    version: string;
    repository: string;
    condition?: string;
  }
  const chartYaml = parseYaml(readFileSync(join(umbrella, 'Chart.yaml'), 'utf8')) as { dependencies: Dep[] };
  const values = parseYaml(readFileSync(join(umbrella, 'values.yaml'), 'utf8')) as Record<
    string,
    { enabled?: unknown }
  >;

  it('declares the seed stack as pinned dependencies, each switchable by values', () => {
    const names = chartYaml.dependencies.map((d) => d.alias ?? d.name);
    for (const n of [
      'devops-ai',
      'kube-prometheus-stack', // Prometheus, Alertmanager, Grafana
      'argo-cd',
      'istio-base',
      'istiod',
      'eck-operator', // Elasticsearch
      'eck-elasticsearch',
      'k6-operator',
      'vpa',
      'cluster-autoscaler',
    ]) {
      expect(names).toContain(n);
    }
    for (const d of chartYaml.dependencies) {
      expect(d.version, d.name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(d.repository, d.name).toMatch(/^(https:\/\/|file:\/\/)/);
      expect(d.condition, d.name).toBe(`${d.alias ?? d.name}.enabled`);
      expect(typeof values[d.alias ?? d.name]?.enabled, d.name).toBe('boolean');
    }
  });

  it("kube-prometheus-stack's Alertmanager gets exactly observability/alertmanager/alertmanager.yml", () => {
    const kps = values['kube-prometheus-stack'] as unknown as { alertmanager: { config: unknown } };
    expect(kps.alertmanager.config).toEqual(
      parseYaml(readFileSync(join(obs, 'alertmanager', 'alertmanager.yml'), 'utf8')),
    );
  });

  for (const env of ['default', ...environments]) {
    it(`renders (${env} values): the platform subchart with the umbrella's values, valid against the schemas`, async () => {
      const files = env === 'default' ? [] : [join(umbrella, 'ci', `${env}-values.yaml`)];
      const r = renderChart(bin, umbrella, files);
      const deps = new Map(r.dependencies.map((d) => [d.name, d]));
      expect(deps.get('devops-ai')?.rendered).toBe(true);
      // Remote dependencies cannot be fetched here; the renderer reports them instead of pretending.
      expect(
        [...deps.values()].filter((d) => d.repository.startsWith('https://')).every((d) => !d.rendered),
      ).toBe(true);
      const sm = byKind(r, 'ServiceMonitor')[0];
      expect(sm?.metadata.labels?.release).toBe('devops-ai');
      expect(byKind(r, 'PrometheusRule')).toHaveLength(1);
      const problems: string[] = [];
      for (const { source, object } of r.objects) {
        try {
          await validateObject(object);
        } catch (err) {
          problems.push(`${source}: ${String(err)}`);
        }
      }
      expect(problems).toEqual([]);
      expect(r.notes).toContain('kube-prometheus-stack=true');
      if (env === 'prod') {
        expect(r.notes).toContain('istio=true');
        expect(deps.get('istiod')?.enabled).toBe(true);
        expect(named(r, 'Deployment', 'devops-ai-host')).toBeDefined();
      }
    });
  }
});

describe('k8s server RBAC switches', () => {
  it('a switch turned off drops exactly its write', () => {
    const r = renderChart(bin, chart, [
      tmpValues({ mcpServers: { k8s: { rbac: { allowDeletePod: false, allowRestart: false } } } }),
    ]);
    type Rule = { resources?: string[]; verbs?: string[] };
    const rules = (named(r, 'ClusterRole', 'devops-ai-k8s') as unknown as { rules: Rule[] }).rules;
    const verbsOn = (res: string) =>
      rules.filter((x) => x.resources?.includes(res)).flatMap((x) => x.verbs ?? []);
    expect(verbsOn('pods')).not.toContain('delete');
    expect(verbsOn('deployments')).not.toContain('patch');
    expect(verbsOn('deployments/scale')).toContain('patch');
    expect(verbsOn('horizontalpodautoscalers')).toContain('patch');
  });
});
