/**
 * Unit tests of the Prometheus backend that need no Prometheus: PromQL templating and escaping,
 * configuration, and how HTTP-level failures of a proxy in front of Prometheus are reported.
 * (Query semantics are tested against a real Prometheus in metrics.int.test.ts.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSampleValue } from './client.js';
import { createPrometheusMetrics } from './metrics.js';
import { DEFAULT_TEMPLATES, escapeLabelValue, renderTemplate } from './promql.js';

describe('PromQL templates', () => {
  it('escapes label values the way PromQL strings are parsed', () => {
    expect(escapeLabelValue('plain-name')).toBe('plain-name');
    expect(escapeLabelValue('a"b')).toBe('a\\"b');
    expect(escapeLabelValue('a\\b')).toBe('a\\\\b');
    expect(escapeLabelValue('a\nb\tc')).toBe('a\\nb\\tc');
    // a quote cannot close the string: every " is preceded by an odd number of backslashes
    const escaped = escapeLabelValue('x\\"} or vector(1) #');
    expect(escaped).toBe('x\\\\\\"} or vector(1) #');
  });

  it('renders placeholders and leaves PromQL syntax alone', () => {
    const q = renderTemplate(DEFAULT_TEMPLATES.latencySeconds, {
      namespace: 'shop',
      service: 'checkout-api',
      windowSeconds: 600,
      quantile: 0.95,
    });
    expect(q).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop",service="checkout-api"}[600s])))',
    );
    const cpu = renderTemplate(DEFAULT_TEMPLATES.cpuUsedCores, {
      namespace: 'shop',
      service: 'cart',
      windowSeconds: 90,
    });
    expect(cpu).toBe(
      'sum(rate(container_cpu_usage_seconds_total{namespace="shop",pod=~"cart-[a-z0-9]+-[a-z0-9]{5}",container!="",container!="POD"}[90s]))',
    );
    expect(() =>
      renderTemplate('$quantile', { namespace: 'a', service: 'b', windowSeconds: 1, quantile: 2 }),
    ).toThrow();
  });

  it('refuses templates with unknown placeholders at configuration time', () => {
    expect(() =>
      createPrometheusMetrics({ url: 'http://127.0.0.1:9090', templates: { replicas: 'up{job="$job"}' } }),
    ).toThrow(expect.objectContaining({ code: 'config_error', message: expect.stringContaining('$job') }));
  });

  it("parses Prometheus' special sample values", () => {
    expect(parseSampleValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('1e+00')).toBe(1);
    expect(parseSampleValue('0.25')).toBe(0.25);
  });
});

describe('configuration', () => {
  it('rejects bad URLs and contradictory auth without echoing secrets', () => {
    expect(() => createPrometheusMetrics({ url: 'ftp://x' })).toThrow(
      expect.objectContaining({ code: 'config_error' }),
    );
    try {
      createPrometheusMetrics({
        url: 'http://127.0.0.1:9090',
        bearerToken: 'tok-secret-1',
        basicAuth: { username: 'u', password: 'pw-secret-2' },
      });
      expect.unreachable();
    } catch (err) {
      expect((err as { code?: string }).code).toBe('config_error');
      expect((err as Error).message).not.toMatch(/secret/);
    }
  });
});

/** A stand-in for whatever sits in front of Prometheus (an auth proxy, a load balancer). */
describe('HTTP behaviour', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const timeResponse = JSON.stringify({
    status: 'success',
    data: { resultType: 'scalar', result: [1795757000.5, '1795757000.5'] },
  });

  it('sends the bearer token, and basic credentials taken out of the URL', async () => {
    const seen: Array<{ auth: string | undefined; url: string | undefined; body: string }> = [];
    const host = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, url: req.url, body });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(timeResponse);
      });
    });
    const bearer = createPrometheusMetrics({ url: `http://${host}/prom/`, bearerToken: 'abc.def' });
    expect(await bearer.now()).toBe('2026-11-27T05:23:20.500Z');
    const basic = createPrometheusMetrics({ url: `http://alice:s3cr%40t@${host}` });
    expect(basic.backend).toBe(`prometheus (http://${host})`);
    await basic.now();
    expect(seen[0]).toMatchObject({ auth: 'Bearer abc.def', url: '/prom/api/v1/query' });
    expect(new URLSearchParams(seen[0]?.body).get('query')).toBe('time()');
    expect(seen[1]?.auth).toBe(`Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`);
  });

  it('maps 401 to unauthenticated without the token, and non-API answers to backend_error', async () => {
    const host = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer wrong-token-xyz') res.writeHead(401).end('Unauthorized');
      else res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>Bad Gateway</html>');
    });
    const denied = (await createPrometheusMetrics({ url: `http://${host}`, bearerToken: 'wrong-token-xyz' })
      .now()
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { code?: string };
    expect(denied).toMatchObject({ code: 'unauthenticated' });
    expect(denied.message).not.toContain('wrong-token-xyz');

    await expect(createPrometheusMetrics({ url: `http://${host}` }).activeAlerts()).rejects.toMatchObject({
      code: 'backend_error',
      message: `Prometheus at http://${host} answered HTTP 502 without an API response`,
    });
  });

  it('maps Prometheus execution errors and timeouts to backend_error', async () => {
    const host = await serve((req, res) => {
      if (req.url?.endsWith('/alerts')) return; // never answers
      res.writeHead(422, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          status: 'error',
          errorType: 'execution',
          error: 'query processing would load too many samples',
        }),
      );
    });
    const m = createPrometheusMetrics({ url: `http://${host}`, timeoutMs: 300 });
    await expect(m.instantQuery('sum(up)')).rejects.toMatchObject({
      code: 'backend_error',
      message: 'Prometheus execution: query processing would load too many samples',
    });
    await expect(m.activeAlerts()).rejects.toMatchObject({
      code: 'backend_error',
      message: `Prometheus at http://${host} did not answer within 300 ms`,
    });
    server?.closeAllConnections();
  });

  it('uses wall time when configured, without asking Prometheus', async () => {
    const m = createPrometheusMetrics({ url: 'http://127.0.0.1:9', clock: 'wall' });
    expect(Math.abs(Date.parse(await m.now()) - Date.now())).toBeLessThan(1000);
  });
});
