import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostUser } from '../../users.js';
import { type Harness, startHarness } from '../testing/harness.js';
import { countColour, decodePng } from '../testing/png.js';
import { createToolReader } from '../tool-reader.js';
import { createGraphService, parseGraphArgs } from './service.js';

// vega's default categorical scheme (tableau10): the first and second series, and the rule colour.
const BLUE: [number, number, number] = [0x4c, 0x78, 0xa8];
const ORANGE: [number, number, number] = [0xf5, 0x85, 0x18];
const RED: [number, number, number] = [0xd6, 0x27, 0x28];

describe('/graph PNG from metrics read through the MCP servers', () => {
  let h: Harness;
  let carol: HostUser;
  let graphs: ReturnType<typeof createGraphService>;

  beforeAll(async () => {
    h = await startHarness();
    carol = h.host.users.get('carol') as HostUser;
    graphs = createGraphService({
      read: createToolReader({ gateway: h.gateway, policy: h.host.policy, audit: h.host.audit }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('draws CPU per pod with the HPA target: a non-blank PNG of the stated size with every pod’s line', async () => {
    const pods = h.world
      .snapshot()
      .pods.filter((p) => p.namespace === 'prod' && p.deployment === 'checkout-api')
      .map((p) => p.name);
    expect(pods.length).toBeGreaterThanOrEqual(2);
    const r = await graphs.render(carol, ['checkout-api', 'cpu', '1h']);
    if (!r.ok) throw new Error(r.message);
    const img = decodePng(r.image.png);
    expect([img.width, img.height]).toEqual([r.width, r.height]);
    expect(img.width).toBeGreaterThan(900);
    expect(img.height).toBeGreaterThan(250);
    expect(r.image.png.length).toBeGreaterThan(10_000);
    let ink = 0;
    for (let i = 0; i < img.rgba.length; i += 4) if ((img.rgba[i] ?? 255) < 230) ink++;
    expect(ink / (img.width * img.height)).toBeGreaterThan(0.01);
    // One line per pod (first two categorical colours), and the dashed HPA target rule.
    expect(countColour(img, BLUE)).toBeGreaterThan(300);
    expect(countColour(img, ORANGE)).toBeGreaterThan(300);
    expect(countColour(img, RED)).toBeGreaterThan(100);
    for (const pod of pods) expect(r.svg).toContain(pod);
    expect(r.svg).toContain('HPA target 70%');
    // The reads went through the gateway, on behalf of the user, and were audited.
    const reads = h.host.audit
      .list({ limit: 100 })
      .filter((e) => e.type === 'tool.read' && e.actor === 'carol')
      .map((e) => e.subject);
    expect(reads).toEqual(
      expect.arrayContaining(['metrics_get_golden_signals', 'metrics_query_range', 'k8s_list_hpas']),
    );
  });

  it('draws only the requested series', async () => {
    const r = await graphs.render(carol, ['prod/checkout-api', 'latency', '30m']);
    if (!r.ok) throw new Error(r.message);
    expect(r.svg).toContain('Latency p95');
    expect(r.svg).not.toContain('CPU per pod');
    expect(r.svg).not.toContain('Requests per second');
    const img = decodePng(r.image.png);
    expect(countColour(img, BLUE)).toBeGreaterThan(300);
    expect(countColour(img, ORANGE)).toBe(0);
    const all = await graphs.render(carol, ['checkout-api']);
    if (!all.ok) throw new Error(all.message);
    for (const t of ['CPU per pod', 'Available replicas', 'Requests per second', 'Latency p95'])
      expect(all.svg).toContain(t);
    expect(all.height).toBeGreaterThan(r.height * 3);
  });

  it('marks cluster events in the window', async () => {
    await h.host.chat(h.host.users.get('bob') as HostUser, 'scale cart in prod to 4', 'ev');
    const pending = h.host.store.list('pending')[0];
    await h.host.approvals.decide(pending?.id as string, h.host.users.get('bob') as never, 'approve', null);
    h.world.advance(5);
    const r = await graphs.render(carol, ['cart', 'replicas', '1h']);
    if (!r.ok) throw new Error(r.message);
    expect(r.text).toMatch(/events marked/);
  });

  it('explains bad arguments and unknown services', async () => {
    expect(parseGraphArgs([], { grafana: false })).toMatchObject({ kind: 'error' });
    expect(parseGraphArgs(['checkout-api', 'bogus'], { grafana: false })).toMatchObject({ kind: 'error' });
    expect(parseGraphArgs(['abc/12'], { grafana: false })).toMatchObject({
      kind: 'error',
      message: /Grafana is not configured/,
    });
    expect(parseGraphArgs(['checkout-api', 'cpu', 'rps', '2h'], { grafana: false })).toMatchObject({
      kind: 'metrics',
      req: { namespace: 'prod', service: 'checkout-api', metrics: ['cpu', 'requests'], windowMinutes: 120 },
    });
    const r = await graphs.render(carol, ['no-such-service']);
    expect(r.ok).toBe(false);
  });

  it('takes named dashboard panels from Grafana’s render API when configured', async () => {
    const png = (await graphs.render(carol, ['checkout-api', 'requests'])) as {
      ok: true;
      image: { png: Uint8Array };
    };
    const seen: Array<{ url: string; auth: string | undefined }> = [];
    const grafana = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (req.headers.authorization !== 'Bearer glsa_test_token') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(png.image.png));
    });
    await new Promise<void>((r) => grafana.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}/grafana/`;
      const g = createGraphService({
        read: createToolReader({ gateway: h.gateway, policy: h.host.policy, audit: h.host.audit }),
        grafana: { url, token: 'glsa_test_token' },
      });
      const r = await g.render(carol, ['kube-hpa/4', '6h']);
      if (!r.ok) throw new Error(r.message);
      expect(seen[0]?.url).toMatch(
        /^\/grafana\/render\/d-solo\/kube-hpa\/_\?panelId=4&from=now-360m&to=now&width=1000&height=500/,
      );
      expect(r.image.png.length).toBe(png.image.png.length);
      expect(r.width).toBeGreaterThan(0);
      const bad = createGraphService({
        read: createToolReader({ gateway: h.gateway, policy: h.host.policy, audit: h.host.audit }),
        grafana: { url, token: 'wrong-token' },
      });
      expect(await bad.render(carol, ['kube-hpa/4'])).toMatchObject({ ok: false, message: /HTTP 401/ });
    } finally {
      grafana.close();
    }
  });
});
