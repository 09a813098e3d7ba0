import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectInMemory, resultJson } from '@devops-ai/mcp-kit/testing';
import { openSandbox, type SandboxWorld } from '@devops-ai/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsManifest } from './manifest.js';
import { createMetricsServer } from './server.js';

describe('metrics MCP server (in-process, sandbox backend)', () => {
  let dir: string;
  let world: SandboxWorld;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-server-'));
    world = openSandbox({ path: join(dir, 'world.db'), seed: 42 });
  });
  afterAll(() => {
    world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is read-only end to end', () => {
    expect(metricsManifest.tools.every((t) => t.readOnly && !t.destructive && t.risk === 'low')).toBe(true);
  });

  it('returns golden signals consistent with the world', async () => {
    const client = await connectInMemory(createMetricsServer({ metrics: world.metrics }));
    const g = resultJson(
      await client.callTool({
        name: 'metrics_get_golden_signals',
        arguments: { namespace: 'prod', service: 'checkout-api', windowMinutes: 15 },
      }),
    ) as { requestsPerSecond: number; replicas: number; latencyMs: { p95: number } };
    expect(g.requestsPerSecond).toBeGreaterThan(0);
    expect(g.latencyMs.p95).toBeGreaterThan(0);
    const ready = world
      .snapshot()
      .deployments.find((d) => d.namespace === 'prod' && d.name === 'checkout-api');
    expect(g.replicas).toBe(ready?.availableReplicas);
    await client.close();
  });

  it('answers the documented PromQL subset and says clearly what the sandbox cannot do', async () => {
    const client = await connectInMemory(createMetricsServer({ metrics: world.metrics }));
    const ok = await client.callTool({
      name: 'metrics_query',
      arguments: { query: 'sum by (service) (service:requests_per_second{namespace="prod"})' },
    });
    expect(ok.isError).toBeFalsy();
    expect((resultJson(ok) as { samples: unknown[] }).samples.length).toBeGreaterThan(0);
    const unsupported = await client.callTool({
      name: 'metrics_query',
      arguments: { query: 'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))' },
    });
    expect(unsupported.isError).toBe(true);
    expect(resultJson(unsupported)).toMatchObject({ error: { code: 'not_available' } });
    await client.close();
  });

  it('validates range queries before touching the backend', async () => {
    const client = await connectInMemory(createMetricsServer({ metrics: world.metrics }));
    const bad = await client.callTool({
      name: 'metrics_query_range',
      arguments: { query: 'up', start: '2026-03-02T08:00:00Z', end: '2026-03-01T08:00:00Z', stepSeconds: 60 },
    });
    expect(bad.isError).toBe(true);
    expect(resultJson(bad)).toMatchObject({ error: { code: 'invalid_argument' } });
    await client.close();
  });

  it('lists alerts, filtered by service', async () => {
    world.injectIncident({ kind: 'bad_deploy', namespace: 'prod', service: 'cart' });
    world.advance(10);
    const client = await connectInMemory(createMetricsServer({ metrics: world.metrics }));
    const r = resultJson(
      await client.callTool({
        name: 'metrics_list_alerts',
        arguments: { namespace: 'prod', service: 'cart' },
      }),
    ) as { alerts: Array<{ name: string; labels: Record<string, string> }> };
    expect(r.alerts.length).toBeGreaterThan(0);
    expect(r.alerts.every((a) => a.labels.service === 'cart' || a.labels.deployment === 'cart')).toBe(true);
    await client.close();
  });
});
