import { describe, expect, it, vi } from 'vitest';
import type { ApprovalView } from '../approval-service.js';
import { createEventBus, type HostEvent } from '../events.js';
import { createClusterWatch } from './cluster-watch.js';
import { createNotificationHub } from './notifications.js';
import type { Notification } from './render.js';
import { startHarness } from './testing/harness.js';

const approval = (id: string, status: ApprovalView['status']): ApprovalView => ({
  id,
  conversation: 'c',
  server: 'k8s',
  tool: 'k8s_scale_deployment',
  args: { namespace: 'prod', name: 'cart', replicas: 4 },
  digest: 'a'.repeat(64),
  risk: 'medium',
  status,
  requestedBy: 'alice',
  requestedAt: '2026-03-02T08:00:00Z',
  expiresAt: '2026-03-02T08:30:00Z',
  decidedBy: status === 'pending' ? null : 'bob',
  decidedAt: null,
  reason: null,
  result: null,
  executedAt: null,
});

const alert = (fingerprint: string, status: 'firing' | 'resolved'): HostEvent => ({
  type: status === 'firing' ? 'alert.firing' : 'alert.resolved',
  alert: {
    fingerprint,
    name: 'HighLatency',
    status,
    severity: 'warning',
    labels: { alertname: 'HighLatency', namespace: 'prod', service: 'checkout-api' },
    annotations: { summary: 'p95 above 500 ms' },
    startsAt: null,
    endsAt: null,
  },
});

function setup(perMinute = 3, dedupeSeconds = 600) {
  let t = 0;
  const bus = createEventBus();
  const got: Notification[] = [];
  const hub = createNotificationHub(bus, [{ name: 'sink', send: async (n) => void got.push(n) }], {
    perMinute,
    dedupeSeconds,
    now: () => t,
  });
  return { bus, got, hub, tick: (ms: number) => (t += ms) };
}

describe('notification hub', () => {
  it('tells approval requests (with the approval for buttons), outcomes and alerts', async () => {
    const { bus, got, hub } = setup(100);
    bus.emit({ type: 'approval.requested', approval: approval('apr_1', 'pending') });
    bus.emit({ type: 'approval.approved', approval: approval('apr_1', 'approved') });
    bus.emit({ type: 'approval.executed', approval: approval('apr_1', 'executed') });
    bus.emit(alert('f1', 'firing'));
    bus.emit(alert('f1', 'resolved'));
    bus.emit({ type: 'cluster.scaled', namespace: 'prod', name: 'cart', from: 2, to: 4, reason: 'HPA' });
    bus.emit({ type: 'cluster.node_added', node: 'ip-10-0-1-7', nodeGroup: 'burst-spot' });
    await hub.idle();
    expect(got.map((n) => n.type)).toEqual([
      'approval.requested',
      'approval.executed',
      'alert.firing',
      'alert.resolved',
      'cluster.scaled',
      'cluster.node_added',
    ]);
    expect(got[0]?.approval?.id).toBe('apr_1');
    expect(got[1]?.text).toContain('executed (approved by bob)');
    expect(got[4]?.text).toBe('prod/cart scaled out from 2 to 4 replicas (HPA)');
  });

  it('suppresses duplicates within the window and lets them through after it', async () => {
    const { bus, got, hub, tick } = setup(100, 60);
    bus.emit(alert('f2', 'firing'));
    bus.emit(alert('f2', 'firing'));
    tick(30_000);
    bus.emit(alert('f2', 'firing'));
    await hub.idle();
    expect(got).toHaveLength(1);
    expect(hub.stats.deduplicated).toBe(2);
    tick(61_000);
    bus.emit(alert('f2', 'firing'));
    await hub.idle();
    expect(got).toHaveLength(2);
  });

  it('rate-limits a burst per minute, summarises what it held back, and never holds back approval requests', async () => {
    const { bus, got, hub, tick } = setup(3);
    for (let i = 0; i < 10; i++) bus.emit(alert(`burst${i}`, 'firing'));
    bus.emit({ type: 'approval.requested', approval: approval('apr_2', 'pending') });
    await hub.idle();
    expect(got.map((n) => n.type)).toEqual([
      'alert.firing',
      'alert.firing',
      'alert.firing',
      'approval.requested',
    ]);
    expect(hub.stats.rateLimited).toBe(7);
    tick(60_000);
    bus.emit(alert('later', 'firing'));
    await hub.idle();
    expect(got[4]?.text).toMatch(/^7 notifications held back by the rate limit/);
    expect(got[5]?.key).toBe('alert.firing:later');
  });

  it('sends the summary when the minute is over even if nothing else comes', async () => {
    vi.useFakeTimers();
    try {
      const bus = createEventBus();
      const got: Notification[] = [];
      const hub = createNotificationHub(bus, [{ name: 'sink', send: async (n) => void got.push(n) }], {
        perMinute: 1,
        dedupeSeconds: 600,
        now: () => Date.now(),
      });
      bus.emit(alert('q1', 'firing'));
      bus.emit(alert('q2', 'firing'));
      bus.emit(alert('q3', 'firing'));
      await hub.idle();
      expect(got).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(61_000);
      await hub.idle();
      expect(got[1]?.text).toMatch(/^2 notifications held back/);
      hub.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps going when a sink fails', async () => {
    const bus = createEventBus();
    const ok: Notification[] = [];
    const errors: string[] = [];
    const hub = createNotificationHub(
      bus,
      [
        { name: 'broken', send: async () => Promise.reject(new Error('channel_not_found')) },
        { name: 'fine', send: async (n) => void ok.push(n) },
      ],
      { perMinute: 10, dedupeSeconds: 60, onError: (s, e) => errors.push(`${s}: ${String(e)}`) },
    );
    bus.emit(alert('f3', 'firing'));
    await hub.idle();
    expect(ok).toHaveLength(1);
    expect(errors).toEqual(['broken: Error: channel_not_found']);
  });
});

describe('cluster watch', () => {
  it('emits cluster.scaled when replicas change and cluster.node_added when a node joins, read through the k8s MCP tools', async () => {
    const h = await startHarness();
    try {
      const events: HostEvent[] = [];
      h.host.events.subscribe((e) => {
        if (e.type.startsWith('cluster.')) events.push(e);
      });
      const watch = createClusterWatch({ gateway: h.gateway, events: h.host.events });
      await watch.poll();
      expect(events).toEqual([]);
      await h.world.cluster.scaleDeployment('prod', 'search', 5);
      await watch.poll();
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'cluster.scaled', namespace: 'prod', name: 'search', to: 5 }),
      );
    } finally {
      await h.close();
    }
  });
});
