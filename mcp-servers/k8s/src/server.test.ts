import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectInMemory, resultJson } from '@devops-ai/mcp-kit/testing';
import { openSandbox, type SandboxWorld } from '@devops-ai/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k8sManifest } from './manifest.js';
import { createK8sServer } from './server.js';
import { k8sTools } from './tools/index.js';

const MUTATING = ['k8s_scale_deployment', 'k8s_restart_deployment', 'k8s_patch_hpa', 'k8s_delete_pod'];

describe('k8s MCP server (in-process, sandbox backend)', () => {
  let dir: string;
  let world: SandboxWorld;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-server-'));
    world = openSandbox({ path: join(dir, 'world.db'), seed: 42 });
  });
  afterAll(() => {
    world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('derives the manifest from the tool definitions', () => {
    expect(k8sManifest.tools.map((t) => t.name)).toEqual(k8sTools.map((t) => t.name));
    expect(k8sManifest.tools.filter((t) => !t.readOnly).map((t) => t.name)).toEqual(MUTATING);
    expect(k8sManifest.tools.find((t) => t.name === 'k8s_delete_pod')).toMatchObject({
      destructive: true,
      risk: 'high',
    });
  });

  it('lists every tool with its annotations and answers reads from the world', async () => {
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(k8sTools.map((t) => t.name).sort());
    const scale = tools.find((t) => t.name === 'k8s_scale_deployment');
    expect(scale?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    const res = await client.callTool({ name: 'k8s_list_deployments', arguments: { namespace: 'prod' } });
    const names = (resultJson(res) as { deployments: Array<{ name: string }> }).deployments.map(
      (d) => d.name,
    );
    expect(names).toEqual(
      expect.arrayContaining(['frontend', 'checkout-api', 'cart', 'payments', 'search', 'catalog']),
    );
    await client.close();
  });

  it("lists a namespace's resource quotas, read-only, with used computed from the world's pods", async () => {
    expect(k8sManifest.tools.find((t) => t.name === 'k8s_list_resource_quotas')).toMatchObject({
      readOnly: true,
      destructive: false,
      risk: 'low',
    });
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }, { readOnly: true }));
    const tool = (await client.listTools()).tools.find((t) => t.name === 'k8s_list_resource_quotas');
    expect(tool?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(tool?.inputSchema.required).toEqual(['namespace']);

    const res = await client.callTool({ name: 'k8s_list_resource_quotas', arguments: { namespace: 'prod' } });
    expect(res.isError).toBeFalsy();
    const body = resultJson(res) as {
      namespace: string;
      quotas: Array<{
        namespace: string;
        name: string;
        hard: Record<string, number>;
        used: Record<string, number>;
      }>;
    };
    expect(body.namespace).toBe('prod');
    expect(body.quotas.map((q) => q.name)).toEqual(['prod-quota']);
    const [quota] = body.quotas;
    expect(Object.keys(quota?.hard ?? {}).sort()).toEqual([
      'limits.memory',
      'pods',
      'requests.cpu',
      'requests.memory',
    ]);
    const pods = await world.cluster.listPods('prod');
    expect(quota?.used.pods).toBe(pods.length);

    expect(
      resultJson(
        await client.callTool({ name: 'k8s_list_resource_quotas', arguments: { namespace: 'staging' } }),
      ),
    ).toEqual({ namespace: 'staging', quotas: [] });
    const bad = await client.callTool({
      name: 'k8s_list_resource_quotas',
      arguments: { namespace: 'Prod!' },
    });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it('lists node groups, read-only, with their autoscaler bounds and the room on their nodes', async () => {
    expect(k8sManifest.tools.find((t) => t.name === 'k8s_list_node_groups')).toMatchObject({
      readOnly: true,
      destructive: false,
      risk: 'low',
    });
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }, { readOnly: true }));
    const tool = (await client.listTools()).tools.find((t) => t.name === 'k8s_list_node_groups');
    expect(tool?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    // a strict empty object: no argument is accepted
    expect(tool?.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(tool?.inputSchema.properties ?? {}).toEqual({});

    const res = await client.callTool({ name: 'k8s_list_node_groups', arguments: {} });
    expect(res.isError).toBeFalsy();
    const body = resultJson(res) as {
      nodeGroups: Array<{ name: string; boundsSource: string | null; maxSize: number | null; nodes: number }>;
    };
    expect(body).toEqual({ nodeGroups: await world.cluster.listNodeGroups() });
    // the sandbox's two groups, live: general-ondemand runs 3 of at most 6, burst-spot 0 of 8
    expect(body.nodeGroups.map((g) => [g.name, g.boundsSource, g.nodes, g.maxSize])).toEqual([
      ['burst-spot', 'sandbox', 0, 8],
      ['general-ondemand', 'sandbox', 3, 6],
    ]);

    const extra = await client.callTool({ name: 'k8s_list_node_groups', arguments: { namespace: 'prod' } });
    expect(extra.isError).toBe(true);
    await client.close();
  });

  it('scales through the port: the world changes', async () => {
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }));
    const res = await client.callTool({
      name: 'k8s_scale_deployment',
      arguments: { namespace: 'staging', name: 'cart', replicas: 3 },
    });
    expect(res.isError).toBeFalsy();
    expect(resultJson(res)).toMatchObject({ namespace: 'staging', name: 'cart', replicas: 3 });
    const snap = world.snapshot();
    expect(snap.deployments.find((d) => d.namespace === 'staging' && d.name === 'cart')?.replicas).toBe(3);
    await client.close();
  });

  it('refuses invalid arguments with a clear error and changes nothing', async () => {
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }));
    const before = JSON.stringify(world.snapshot().deployments);
    const bad = await client.callTool({
      name: 'k8s_scale_deployment',
      arguments: { namespace: 'prod', name: 'checkout-api', replicas: -3 },
    });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/replicas/);
    const injected = await client.callTool({
      name: 'k8s_scale_deployment',
      arguments: { namespace: 'prod; rm -rf /', name: 'checkout-api', replicas: 2 },
    });
    expect(injected.isError).toBe(true);
    expect(JSON.stringify(world.snapshot().deployments)).toBe(before);
    await client.close();
  });

  it('reports a missing deployment as not_found', async () => {
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }));
    const res = await client.callTool({
      name: 'k8s_restart_deployment',
      arguments: { namespace: 'prod', name: 'nope' },
    });
    expect(res.isError).toBe(true);
    expect(resultJson(res)).toMatchObject({ error: { code: 'not_found' } });
    await client.close();
  });

  it('in read-only mode neither lists nor executes mutating tools', async () => {
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }, { readOnly: true }));
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const m of MUTATING) expect(names).not.toContain(m);
    expect(names).toContain('k8s_list_pods');
    const before = world
      .snapshot()
      .deployments.find((d) => d.namespace === 'prod' && d.name === 'cart')?.replicas;
    const res = await client
      .callTool({ name: 'k8s_scale_deployment', arguments: { namespace: 'prod', name: 'cart', replicas: 9 } })
      .then(
        (r) => ({ refused: r.isError === true, text: JSON.stringify(r.content) }),
        (e: unknown) => ({ refused: true, text: String(e) }),
      );
    expect(res.refused).toBe(true);
    expect(res.text).toMatch(/disabled|read-only/i);
    expect(
      world.snapshot().deployments.find((d) => d.namespace === 'prod' && d.name === 'cart')?.replicas,
    ).toBe(before);
    await client.close();
  });

  it('answers an unknown tool with an error', async () => {
    const client = await connectInMemory(createK8sServer({ cluster: world.cluster }));
    const r = await client.callTool({ name: 'k8s_nuke_cluster', arguments: {} }).then(
      (x) => ({ refused: x.isError === true, text: JSON.stringify(x.content) }),
      (e: unknown) => ({ refused: true, text: String(e) }),
    );
    expect(r.refused).toBe(true);
    expect(r.text).toMatch(/not found|unknown/i);
    await client.close();
  });
});
