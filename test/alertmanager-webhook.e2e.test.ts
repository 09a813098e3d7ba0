import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostConfigSchema } from '../host/src/config.js';
import { type RunningHost, startHost } from '../host/src/serve.js';
import { api, type Servers, startServers } from './helpers/platform.js';

const TOKEN = 'am-webhook-token-0123456789';

function payload(status: 'firing' | 'resolved') {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighLatencyP95"}',
    truncatedAlerts: 0,
    status,
    receiver: 'devops-ai',
    groupLabels: { alertname: 'HighLatencyP95' },
    commonLabels: {
      alertname: 'HighLatencyP95',
      namespace: 'prod',
      service: 'checkout-api',
      severity: 'warning',
    },
    commonAnnotations: { summary: 'p95 latency above SLO' },
    externalURL: 'http://alertmanager.local:9093',
    alerts: [
      {
        status,
        labels: {
          alertname: 'HighLatencyP95',
          namespace: 'prod',
          service: 'checkout-api',
          severity: 'warning',
        },
        annotations: { summary: 'p95 latency above SLO' },
        startsAt: '2026-03-02T08:00:00Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-03-02T08:30:00Z',
        generatorURL: 'http://prometheus.local:9090/graph',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
  };
}

describe('Alertmanager webhook into the host', () => {
  let servers: Servers;
  let host: RunningHost;
  let dir: string;
  beforeAll(async () => {
    servers = await startServers();
    dir = mkdtempSync(join(tmpdir(), 'am-host-'));
    host = await startHost(
      hostConfigSchema.parse({
        port: 0,
        dataDir: dir,
        alertmanagerToken: TOKEN,
        servers: {
          k8s: { url: servers.k8s.url, token: servers.k8s.token },
          metrics: { url: servers.metrics.url, token: servers.metrics.token },
        },
      }),
      {},
    );
  }, 60_000);
  afterAll(async () => {
    await host?.close();
    await servers?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, token?: string) =>
    fetch(`${host.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body,
    });

  it('refuses unauthenticated and malformed payloads, audits the refusal, and keeps serving', async () => {
    expect((await post(JSON.stringify(payload('firing')))).status).toBe(401);
    expect((await post(JSON.stringify(payload('firing')), 'wrong-token-wrong-token')).status).toBe(401);
    expect((await post('{"version": "4", ', TOKEN)).status).toBe(400);
    const wrongShape = await post(JSON.stringify({ version: '4', alerts: [{ status: 'burning' }] }), TOKEN);
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { error: { message: string } }).error.message).toMatch(
      /Alertmanager v4/,
    );
    const audit = await api<{ entries: Array<{ type: string }> }>(
      host.url,
      'bob',
      'GET',
      '/api/audit?limit=100',
    );
    expect(audit.body.entries.filter((e) => e.type === 'webhook.refused')).toHaveLength(4);
    expect((await fetch(`${host.url}/healthz`)).status).toBe(200);
  });

  it('keeps firing alerts, notifies, and closes them when resolved', async () => {
    const firing = await post(JSON.stringify(payload('firing')), TOKEN);
    expect(await firing.json()).toEqual({ received: 1, changed: 1 });
    // A repeat of the same firing alert is not a new notification.
    expect(await (await post(JSON.stringify(payload('firing')), TOKEN)).json()).toEqual({
      received: 1,
      changed: 0,
    });
    const active = await api<{ alerts: Array<{ name: string; status: string }> }>(
      host.url,
      'carol',
      'GET',
      '/api/alerts?status=firing',
    );
    expect(active.body.alerts).toMatchObject([{ name: 'HighLatencyP95', status: 'firing' }]);
    await post(JSON.stringify(payload('resolved')), TOKEN);
    expect(
      (await api<{ alerts: unknown[] }>(host.url, 'carol', 'GET', '/api/alerts?status=firing')).body.alerts,
    ).toEqual([]);
    const feed = await api<{ notifications: Array<{ event: { type: string; alert?: { name: string } } }> }>(
      host.url,
      'carol',
      'GET',
      '/api/notifications',
    );
    expect(feed.body.notifications.map((n) => `${n.event.type}:${n.event.alert?.name}`)).toEqual([
      'alert.firing:HighLatencyP95',
      'alert.resolved:HighLatencyP95',
    ]);
  });
});
