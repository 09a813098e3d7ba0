import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultJson } from '@devops-ai/mcp-kit/testing';
import { openSandbox } from '@devops-ai/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'devops-ai-mcp-k8s.js');

describe('k8s MCP server over real stdio', () => {
  let dir: string;
  let sandboxPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-stdio-'));
    sandboxPath = join(dir, 'world.db');
    openSandbox({ path: sandboxPath, seed: 42 }).close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function connect(args: string[]) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, ...args],
      env: { PATH: process.env.PATH ?? '', DEVOPS_AI_BACKEND: 'sandbox', SANDBOX_PATH: sandboxPath },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '0.0.0' });
    await client.connect(transport);
    return client;
  }

  it('in read-only mode neither lists nor executes a mutating tool (regression: gate enforced on both tools/list and tools/call)', async () => {
    const client = await connect(['--stdio', '--read-only']);
    const tools = (await client.listTools()).tools;
    const names = tools.map((t) => t.name);
    expect(names).toContain('k8s_list_deployments');
    expect(names).toContain('k8s_list_resource_quotas');
    expect(names).toContain('k8s_list_node_groups');
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    for (const m of ['k8s_scale_deployment', 'k8s_restart_deployment', 'k8s_patch_hpa', 'k8s_delete_pod']) {
      expect(names).not.toContain(m);
    }
    const outcome = await client
      .callTool({
        name: 'k8s_scale_deployment',
        arguments: { namespace: 'prod', name: 'checkout-api', replicas: 7 },
      })
      .then(
        (r) => ({ refused: r.isError === true, text: JSON.stringify(r.content) }),
        (e: unknown) => ({ refused: true, text: String(e) }),
      );
    expect(outcome.refused).toBe(true);
    const deployments = resultJson(
      await client.callTool({ name: 'k8s_list_deployments', arguments: { namespace: 'prod' } }),
    ) as { deployments: Array<{ name: string; replicas: number }> };
    expect(deployments.deployments.find((d) => d.name === 'checkout-api')?.replicas).not.toBe(7);
    await client.close();
    const world = openSandbox({ path: sandboxPath });
    expect(
      world.snapshot().deployments.find((d) => d.namespace === 'prod' && d.name === 'checkout-api')?.replicas,
    ).not.toBe(7);
    world.close();
  });

  it('in normal mode lists the mutating tools too', async () => {
    const client = await connect(['--stdio']);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('k8s_scale_deployment');
    await client.close();
  });
});
