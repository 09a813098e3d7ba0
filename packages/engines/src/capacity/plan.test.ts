import { describe, expect, it } from 'vitest';
import { planCapacity } from './plan.js';

describe('capacity planning', () => {
  it('computes replicas and nodes per window and the first breach of each limit', () => {
    const t0 = Date.UTC(2024, 0, 1);
    // hourly load ramping 100 → 1000
    const mean = Array.from({ length: 10 }, (_, i) => 100 * (i + 1));
    const plan = planCapacity({
      mean,
      firstTimestampMs: t0,
      stepSeconds: 3600,
      capacityPerPod: 50,
      targetUtilization: 0.8,
      podsPerNode: 4,
      limits: { hpaMaxReplicas: 10, nodeGroupMaxNodes: 5 },
    });
    // 1000 / (50 × 0.8) = 25 replicas, 7 nodes
    expect(plan.peakReplicas).toBe(25);
    expect(plan.peakNodes).toBe(7);
    expect(plan.windows[0]).toMatchObject({ replicas: 3, nodes: 1 });
    // 10 replicas hold 400; the first hour beyond is 500 (index 4) → hpa max
    const hpa = plan.breaches.find((b) => b.limit === 'hpaMaxReplicas');
    expect(hpa?.atMs).toBe(t0 + 4 * 3_600_000);
    // 5 nodes hold 20 replicas = 800; first beyond is 900 (index 8)
    const nodes = plan.breaches.find((b) => b.limit === 'nodeGroupMaxNodes');
    expect(nodes?.atMs).toBe(t0 + 8 * 3_600_000);
  });

  it('plans on the upper bound when given and aggregates windows', () => {
    const plan = planCapacity({
      mean: [10, 10, 10, 10],
      upper: [10, 40, 10, 10],
      firstTimestampMs: 0,
      stepSeconds: 60,
      capacityPerPod: 10,
      targetUtilization: 1,
      podsPerNode: 2,
      windowSteps: 2,
    });
    expect(plan.windows.map((w) => w.replicas)).toEqual([4, 1]);
  });
});
