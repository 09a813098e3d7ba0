import { callDigest } from '@devops-ai/core';
import { describe, expect, it } from 'vitest';
import { createApprovalStore } from './approvals.js';
import { openHostDb } from './db.js';

function setup(ttlMs = 60_000) {
  let t = Date.parse('2026-03-02T08:00:00Z');
  const clock = {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
  };
  const seen: string[] = [];
  const store = createApprovalStore(openHostDb(':memory:'), {
    ttlMs,
    now: clock.now,
    onTransition: (a) => seen.push(`${a.id}:${a.status}`),
  });
  const args = { namespace: 'prod', name: 'cart', replicas: 4 };
  const digest = callDigest('k8s', 'k8s_scale_deployment', args);
  const make = (id = 'apr_1') =>
    store.create({
      id,
      conversation: 'c1',
      toolCallId: `tc_${id}`,
      server: 'k8s',
      tool: 'k8s_scale_deployment',
      args,
      digest,
      risk: 'medium',
      requestedBy: 'alice',
    });
  return { store, clock, digest, make, seen };
}

describe('approval store', () => {
  it('creates idempotently and stores canonical arguments', () => {
    const { make, seen } = setup();
    const a = make();
    const b = make();
    expect(b).toEqual(a);
    expect(a.status).toBe('pending');
    expect(a.expiresAt).toBe('2026-03-02T08:01:00.000Z');
    expect(seen).toEqual(['apr_1:pending']);
  });

  it('lets exactly one of two decisions win', () => {
    const { store, make } = setup();
    make();
    const first = store.decide('apr_1', 'approved', 'bob', null);
    const second = store.decide('apr_1', 'rejected', 'dave', 'no');
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, code: 'approval_used' });
    expect(store.get('apr_1')?.decidedBy).toBe('bob');
  });

  it('executes an approved call once, only with the approved digest', () => {
    const { store, make, digest } = setup();
    make();
    expect(store.claimForExecution('apr_1', digest)).toMatchObject({ ok: false, code: 'approval_used' });
    store.decide('apr_1', 'approved', 'bob', null);
    const other = callDigest('k8s', 'k8s_scale_deployment', {
      namespace: 'prod',
      name: 'cart',
      replicas: 40,
    });
    expect(store.claimForExecution('apr_1', other)).toMatchObject({ ok: false, code: 'approval_mismatch' });
    expect(store.claimForExecution('apr_1', digest).ok).toBe(true);
    expect(store.claimForExecution('apr_1', digest)).toMatchObject({ ok: false, code: 'approval_used' });
    expect(store.finishExecution('apr_1', { ok: true, result: { replicas: 4 } }).status).toBe('executed');
    expect(store.claimForExecution('apr_1', digest).ok).toBe(false);
    expect(store.claimForExecution('apr_nope', digest)).toMatchObject({
      ok: false,
      code: 'approval_not_found',
    });
  });

  it('expires: a late approval is refused and the record says expired', () => {
    const { store, make, clock, seen } = setup(60_000);
    make('apr_a');
    make('apr_b');
    clock.advance(61_000);
    expect(store.decide('apr_a', 'approved', 'bob', null)).toMatchObject({
      ok: false,
      code: 'approval_expired',
    });
    expect(store.get('apr_a')?.status).toBe('expired');
    expect(store.expireDue().map((a) => a.id)).toEqual(['apr_b']);
    expect(store.expireDue()).toEqual([]);
    expect(seen).toEqual(['apr_a:pending', 'apr_b:pending', 'apr_a:expired', 'apr_b:expired']);
  });
});
