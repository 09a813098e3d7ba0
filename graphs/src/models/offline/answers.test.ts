import type { EventInfo } from '@devops-ai/core';
import { describe, expect, it } from 'vitest';
import { answer, rolloutSeen } from './answers.js';
import { forecastCalls, TurnContext, type TurnResult } from './planner.js';

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

describe('forecast answer', () => {
  const ok = (tool: string, args: Record<string, unknown>, data: unknown): TurnResult => ({
    tool,
    args,
    ok: true,
    text: JSON.stringify(data),
    data,
  });
  const [forecastCall, burstCall] = forecastCalls('prod', 'cart');
  if (!forecastCall || !burstCall) throw new Error('forecastCalls changed');
  const ctx = (seasonalities: number[], historyPoints: number) =>
    new TurnContext(
      [
        ok('k8s_list_deployments', { namespace: 'prod' }, { deployments: [{ name: 'cart' }] }),
        ok(forecastCall.name, forecastCall.args, {
          historyPoints,
          seasonalities,
          method: ['ses'],
          points: [
            { time: '2026-03-02T08:05:00Z', mean: 10, lower: 8, upper: 12 },
            { time: '2026-03-02T08:10:00Z', mean: 14, lower: 11, upper: 17 },
          ],
        }),
        ok(burstCall.name, burstCall.args, { baseline: 9, threshold: 11.7, bursts: [] }),
      ],
      new Set(['k8s_list_deployments', forecastCall.name, burstCall.name]),
    );

  it('says how much history it used and whether the daily cycle is in the forecast', () => {
    const young = answer({ kind: 'predict', namespace: 'prod', service: 'cart' }, ctx([], 289));
    expect(young).toContain('from 24 h of service:requests_per_second');
    expect(young).toContain('less than two days of history: no daily cycle yet');
    expect(young).toContain(
      'next step 10.0 req/s (90% interval 8.0–12.0); peak 14.0 req/s at 08:10 UTC (up to 17.0)',
    );
    expect(young).toContain('no burst expected above 11.7 req/s (1.3 × the baseline 9.0 req/s)');
    const grown = answer({ kind: 'predict', namespace: 'prod', service: 'cart' }, ctx([288], 865));
    expect(grown).toContain(
      'from 72 h of service:requests_per_second at 5-minute steps (daily cycle included)',
    );
  });

  it('says plainly when the forecasting server is not connected', () => {
    const none = new TurnContext([], new Set(['k8s_list_deployments']));
    expect(answer({ kind: 'predict', namespace: 'prod', service: 'cart' }, none)).toMatch(
      /forecasting server is not connected/,
    );
  });
});
