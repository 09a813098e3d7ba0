import { describe, expect, it } from 'vitest';
import {
  createPolicyEngine,
  DEFAULT_POLICY_DIR,
  loadPolicyDir,
  type PolicyTool,
  validatePolicies,
} from './index.js';

const users = [
  { id: 'alice', name: 'Alice', roles: ['engineer'] },
  { id: 'bob', name: 'Bob', roles: ['engineer', 'approver'] },
  { id: 'carol', name: 'Carol', roles: ['viewer'] },
  { id: 'mallory', name: 'Mallory', roles: [] },
];
const [alice, bob, carol, mallory] = users as [
  (typeof users)[0],
  (typeof users)[0],
  (typeof users)[0],
  (typeof users)[0],
];
const loaded = loadPolicyDir(DEFAULT_POLICY_DIR);
const engine = createPolicyEngine(loaded, { users });

const scale: PolicyTool = {
  server: 'k8s',
  name: 'k8s_scale_deployment',
  readOnly: false,
  destructive: false,
  risk: 'medium',
};
const del: PolicyTool = {
  server: 'k8s',
  name: 'k8s_delete_pod',
  readOnly: false,
  destructive: true,
  risk: 'high',
};
const list: PolicyTool = {
  server: 'k8s',
  name: 'k8s_list_pods',
  readOnly: true,
  destructive: false,
  risk: 'low',
};

describe('foundation policies (Cedar)', () => {
  it('validate strictly against the schema', () => {
    expect(validatePolicies(loaded)).toEqual([]);
    expect(engine.policyIds).toContain('no-self-approval-high-risk');
  });

  it('let every role read, and nobody without a role', () => {
    for (const u of [alice, bob, carol]) {
      expect(engine.decideCall({ user: u, tool: list, args: { namespace: 'prod' } }).outcome).toBe('allow');
    }
    expect(engine.decideCall({ user: mallory, tool: list, args: {} }).outcome).toBe('deny');
  });

  it('send every mutating call to approval, and deny viewers', () => {
    const d = engine.decideCall({
      user: alice,
      tool: scale,
      args: { namespace: 'prod', name: 'cart', replicas: 4 },
    });
    expect(d).toMatchObject({ outcome: 'needs_approval', risk: 'medium' });
    expect(engine.decideCall({ user: bob, tool: del, args: { namespace: 'prod', name: 'p' } }).outcome).toBe(
      'needs_approval',
    );
    const c = engine.decideCall({
      user: carol,
      tool: scale,
      args: { namespace: 'prod', name: 'cart', replicas: 4 },
    });
    expect(c.outcome).toBe('deny');
    expect(c.reason).toMatch(/no policy permits carol/);
  });

  it('classify risk from data: destructive tools and scale to zero are high', () => {
    expect(engine.decideCall({ user: alice, tool: del, args: { namespace: 'prod', name: 'x' } }).risk).toBe(
      'high',
    );
    expect(
      engine.decideCall({ user: alice, tool: scale, args: { namespace: 'prod', name: 'cart', replicas: 0 } })
        .risk,
    ).toBe('high');
  });

  it('let explicit denies win over permits', () => {
    const sys = engine.decideCall({
      user: bob,
      tool: scale,
      args: { namespace: 'kube-system', name: 'dns', replicas: 3 },
    });
    expect(sys).toMatchObject({ outcome: 'deny', policies: ['deny-system-namespaces'] });
    const big = engine.decideCall({
      user: bob,
      tool: scale,
      args: { namespace: 'prod', name: 'cart', replicas: 80 },
    });
    expect(big.policies).toEqual(['deny-runaway-scale']);
  });

  it('let only approvers approve, never their own high-risk call', () => {
    const args = { namespace: 'prod', name: 'cart', replicas: 4 };
    expect(
      engine.decideApproval({ approver: bob, requester: alice, tool: scale, args, risk: 'medium' }).allowed,
    ).toBe(true);
    expect(
      engine.decideApproval({ approver: carol, requester: alice, tool: scale, args, risk: 'medium' }).allowed,
    ).toBe(false);
    expect(
      engine.decideApproval({ approver: alice, requester: alice, tool: scale, args, risk: 'medium' }).allowed,
    ).toBe(false);
    // medium risk: an approver may approve their own request
    expect(
      engine.decideApproval({ approver: bob, requester: bob, tool: scale, args, risk: 'medium' }).allowed,
    ).toBe(true);
    const self = engine.decideApproval({ approver: bob, requester: bob, tool: del, args: {}, risk: 'high' });
    expect(self).toMatchObject({ allowed: false, policies: ['no-self-approval-high-risk'] });
    expect(self.reason).toMatch(/cannot be approved by the user who requested it/);
  });
});
