import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsPort } from '../ports/metrics.js';

export interface MetricsContractFixture {
  namespace: string;
  /** A service with traffic in the last 15 minutes. */
  service: string;
  /** A PromQL instant query the backend answers with at least one sample. */
  instantQuery: string;
}

export interface MetricsContractSubject {
  port: MetricsPort;
  fixture: MetricsContractFixture;
  cleanup?: () => Promise<void>;
}

/** One conformance suite for every MetricsPort backend (sandbox world, Prometheus). */
export function describeMetricsContract(name: string, factory: () => Promise<MetricsContractSubject>): void {
  describe(`MetricsPort contract: ${name}`, () => {
    let subject: MetricsContractSubject;
    let port: MetricsPort;
    let fx: MetricsContractFixture;

    beforeAll(async () => {
      subject = await factory();
      port = subject.port;
      fx = subject.fixture;
    });
    afterAll(async () => {
      await subject?.port.close?.();
      await subject?.cleanup?.();
    });

    it('reports its current time', async () => {
      expect(Number.isNaN(Date.parse(await port.now()))).toBe(false);
    });

    it('returns golden signals for a service over a window', async () => {
      const g = await port.goldenSignals({ namespace: fx.namespace, service: fx.service, windowMinutes: 10 });
      expect(g.namespace).toBe(fx.namespace);
      expect(g.service).toBe(fx.service);
      expect(g.window.minutes).toBe(10);
      expect(Date.parse(g.window.end) - Date.parse(g.window.start)).toBe(10 * 60_000);
      expect(g.requestsPerSecond).toBeGreaterThan(0);
      expect(g.errorRate).toBeGreaterThanOrEqual(0);
      expect(g.errorRate).toBeLessThanOrEqual(1);
      const { p50, p95, p99 } = g.latencyMs;
      expect(p50).toBeGreaterThan(0);
      expect(p95 ?? 0).toBeGreaterThanOrEqual(p50 ?? 0);
      expect(p99 ?? 0).toBeGreaterThanOrEqual(p95 ?? 0);
      expect(g.cpu.usedCores).toBeGreaterThan(0);
      expect(g.replicas).toBeGreaterThanOrEqual(1);
      expect(g.series.requestsPerSecond.length).toBeGreaterThan(0);
    });

    it('never invents traffic for an unknown service', async () => {
      const r = await port
        .goldenSignals({ namespace: fx.namespace, service: 'no-such-service-xyz', windowMinutes: 5 })
        .then(
          (g) => ({ ok: true as const, g }),
          (e: unknown) => ({ ok: false as const, e }),
        );
      if (r.ok) expect(r.g.requestsPerSecond).toBeNull();
      else expect((r.e as { code?: string }).code).toBe('not_found');
    });

    it('answers an instant query', async () => {
      const samples = await port.instantQuery(fx.instantQuery);
      expect(samples.length).toBeGreaterThan(0);
      for (const s of samples) expect(Number.isFinite(s.value)).toBe(true);
    });

    it('answers a range query with ascending points', async () => {
      const end = await port.now();
      const start = new Date(Date.parse(end) - 10 * 60_000).toISOString();
      const series = await port.rangeQuery(fx.instantQuery, start, end, 60);
      expect(series.length).toBeGreaterThan(0);
      const pts = series[0]?.points ?? [];
      expect(pts.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < pts.length; i++) {
        expect(Date.parse(pts[i]?.time ?? '')).toBeGreaterThan(Date.parse(pts[i - 1]?.time ?? ''));
      }
    });

    it('refuses a malformed query with a clear error', async () => {
      const err = await port.instantQuery('sum(rate(').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(['invalid_argument', 'not_available']).toContain((err as { code?: string })?.code);
    });

    it('lists active alerts', async () => {
      const alerts = await port.activeAlerts();
      expect(Array.isArray(alerts)).toBe(true);
      for (const a of alerts) {
        expect(a.name.length).toBeGreaterThan(0);
        expect(['firing', 'pending']).toContain(a.state);
      }
    });
  });
}
