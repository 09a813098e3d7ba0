import { describe, expect, it } from 'vitest';
import { peakFactor, planCapacity } from './plan.js';

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

  it('sizes for the minute-level peaks that 5-minute means hide', () => {
    // One-minute load at 10 with one minute at 30 in every hour: that 5-minute mean is
    // (4 × 10 + 30) / 5 = 14, so the hour's peak is 30 / 14 of its largest 5-minute mean.
    const fine = Array.from({ length: 60 * 24 }, (_, i) => (i % 60 === 17 ? 30 : 10));
    expect(peakFactor(fine, 5, 12)).toBeCloseTo(30 / 14, 12);
    // Only a third of the hours have the burst: the 75th percentile still sees it, the median not.
    const some = fine.map((v, i) => (Math.floor(i / 60) % 3 === 0 ? v : 10));
    expect(peakFactor(some, 5, 12, 0.75)).toBeCloseTo(30 / 14, 12);
    expect(peakFactor(some, 5, 12, 0.5)).toBe(1);
    // Already at the resolution that matters, or no complete window: nothing to add.
    expect(peakFactor(fine, 1, 12)).toBe(1);
    expect(peakFactor(fine.slice(0, 30), 5, 12)).toBe(1);
    // Missing points (NaN) leave their window out.
    expect(peakFactor([...fine.slice(0, 60).map(() => Number.NaN), ...fine.slice(60)], 5, 12)).toBeCloseTo(
      30 / 14,
      12,
    );
    // The plan multiplies the load: 14 per 5 minutes needs 14 / (5 × 0.7) = 4 pods, × 30/14 → 9.
    const plan = (f: number) =>
      planCapacity({
        mean: new Array(12).fill(14),
        firstTimestampMs: 0,
        stepSeconds: 300,
        capacityPerPod: 5,
        targetUtilization: 0.7,
        podsPerNode: 4,
        windowSteps: 12,
        peakFactor: f,
      }).peakReplicas;
    expect(plan(1)).toBe(4);
    expect(plan(peakFactor(fine, 5, 12))).toBe(9);
  });
});
