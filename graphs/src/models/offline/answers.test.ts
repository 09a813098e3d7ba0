import type { EventInfo } from '@devops-ai/core';
import { describe, expect, it } from 'vitest';
import { rolloutSeen } from './answers.js';

const event = (reason: string, message: string): EventInfo => ({
  type: 'Normal',
  reason,
  message,
  count: 1,
  firstTimestamp: '2026-03-02T08:00:00Z',
  lastTimestamp: '2026-03-02T08:00:00Z',
  namespace: 'prod',
  involvedObject: { kind: 'Deployment', name: 'payments' },
});

describe('rolloutSeen', () => {
  // Regression: Kubernetes' rollout events ("Scaled up replica set payments-x to 1 from 0") name
  // no image or version, so a bad deploy was reported as a plain error rate.
  it('sees a rollout when two ReplicaSets of the deployment were scaled', () => {
    expect(
      rolloutSeen([
        event('ScalingReplicaSet', 'Scaled up replica set payments-lcszffkvvp to 1 from 0'),
        event('ScalingReplicaSet', 'Scaled down replica set payments-87hxmtjd5b to 1 from 2'),
      ]),
    ).toBe(true);
  });

  it('does not take HPA scaling of one ReplicaSet for a rollout', () => {
    expect(
      rolloutSeen([
        event('ScalingReplicaSet', 'Scaled up replica set payments-87hxmtjd5b to 3 from 2'),
        event('ScalingReplicaSet', 'Scaled up replica set payments-87hxmtjd5b to 4 from 3'),
        event('Pulled', 'Successfully pulled image "ghcr.io/acme-shop/payments:4.1.0" in 2s'),
      ]),
    ).toBe(false);
  });
});
