import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeKubeApiServer, startFakeKubeApiServer } from '@devops-ai/backends/testing';
import { resultJson } from '@devops-ai/mcp-kit/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'devops-ai-mcp-k8s.js');

/** The k8s server's bin, configured for a real cluster (KUBECONFIG), over stdio, against recorded API responses. */
describe('k8s MCP server on the Kubernetes backend', () => {
  let api: FakeKubeApiServer;
  let dir: string;
  let client: Client;
  beforeAll(async () => {
    api = await startFakeKubeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'k8s-kube-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, api.kubeconfigYaml(), { mode: 0o600 });
    client = new Client({ name: 'kube-test', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, '--stdio'],
        env: { PATH: process.env.PATH ?? '', DEVOPS_AI_BACKEND: 'kubernetes', KUBECONFIG: kubeconfig },
        stderr: 'pipe',
      }),
    );
  }, 30_000);
  afterAll(async () => {
    await client?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads resource quotas from core/v1 as numbers', async () => {
    const r = resultJson(
      await client.callTool({ name: 'k8s_list_resource_quotas', arguments: { namespace: 'prod' } }),
    ) as {
      namespace: string;
      quotas: Array<{ name: string; hard: Record<string, number>; used: Record<string, number> }>;
    };
    expect(r.namespace).toBe('prod');
    expect(r.quotas.map((q) => q.name)).toEqual(['compute-resources', 'object-counts']);
    expect(r.quotas[0]?.used).toMatchObject({ pods: 6, 'requests.cpu': 2.5 });
    expect(
      api.requests.some((q) => q.method === 'GET' && q.path === '/api/v1/namespaces/prod/resourcequotas'),
    ).toBe(true);
  });

  it('reads node groups: nodes, pods of all namespaces and the cluster-autoscaler status ConfigMap', async () => {
    const r = resultJson(await client.callTool({ name: 'k8s_list_node_groups', arguments: {} })) as {
      nodeGroups: Array<{
        name: string;
        boundsSource: string | null;
        maxSize: number | null;
        cpuRequestedMillicores: number | null;
      }>;
    };
    expect(r.nodeGroups.map((g) => [g.name, g.boundsSource, g.maxSize, g.cpuRequestedMillicores])).toEqual([
      ['default', null, null, 1850],
      ['eks-gpu-inference-d8c4a2e6-1b9f-6e7d-3a5c-0f2b4d6e8a19', 'cluster-autoscaler', 2, 0],
      ['general-purpose', 'cluster-autoscaler', 4, 1250],
      ['spot-burst', 'cluster-autoscaler', 6, 800],
    ]);
    const paths = api.requests.filter((q) => q.method === 'GET').map((q) => q.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/nodes',
        '/api/v1/pods',
        '/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status',
      ]),
    );
  });

  it('reads deployments and scales through @kubernetes/client-node', async () => {
    const list = resultJson(
      await client.callTool({ name: 'k8s_list_deployments', arguments: { namespace: 'prod' } }),
    ) as {
      deployments: Array<{ name: string }>;
    };
    expect(list.deployments.map((d) => d.name)).toContain('checkout-api');
    const r = await client.callTool({
      name: 'k8s_scale_deployment',
      arguments: { namespace: 'prod', name: 'checkout-api', replicas: 5 },
    });
    expect(r.isError).toBeFalsy();
    const patch = api.mutations().find((m) => m.path.endsWith('/deployments/checkout-api/scale'));
    expect(patch?.method).toBe('PATCH');
    const spec = api.object('deployments', 'checkout-api', 'prod')?.spec as { replicas?: number } | undefined;
    expect(spec?.replicas).toBe(5);
  });
});
