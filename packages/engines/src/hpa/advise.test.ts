import { describe, expect, it } from 'vitest';
import { adviseHpa, periodicSchedule } from './advise.js';

describe('HPA advice', () => {
  it('cuts violations of a default HPA on a bursty daily trace within the replica-hour budget', () => {
    // 5-minute steps, 14 days: a sudden daily burst; the default HPA reacts late (metric lag, pod start-up).
    const steps = 288 * 14;
    const load = Array.from({ length: steps }, (_, i) => {
      const m = i % 288;
      return 300 + (m >= 120 && m < 150 ? 900 : 0);
    });
    const current = { minReplicas: 2, maxReplicas: 10, targetUtilization: 0.7 };
    const a = adviseHpa(load, { stepSeconds: 300, capacityPerPod: 150, current });
    expect(a.heldOut.current.violationMinutes).toBeGreaterThan(0);
    expect(a.heldOut.recommended.violationMinutes).toBeLessThan(a.heldOut.current.violationMinutes);
    expect(a.heldOut.recommended.replicaHours).toBeLessThanOrEqual(
      a.heldOut.current.replicaHours * 1.1 + 1e-9,
    );
    expect(a.rationale.length).toBeGreaterThan(0);
  });

  it('keeps minReplicas at the floor asked for when the load would fit one pod', () => {
    // 3 days of a quiet service: a third of a pod's capacity, all the time. Alone, the search takes
    // one replica; with a floor of 2 (a spare pod through drains and rollouts) it never goes below 2.
    const load = Array.from({ length: 288 * 3 }, (_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288));
    const current = { minReplicas: 3, maxReplicas: 6, targetUtilization: 0.7 };
    const free = adviseHpa(load, { stepSeconds: 300, capacityPerPod: 150, current });
    expect(free.recommended.minReplicas).toBe(1);
    const floored = adviseHpa(load, { stepSeconds: 300, capacityPerPod: 150, current, minReplicasFloor: 2 });
    expect(floored.recommended.minReplicas).toBe(2);
    expect(floored.heldOut.recommended.replicaHours).toBeLessThan(floored.heldOut.current.replicaHours);
    expect(() =>
      adviseHpa(load, { stepSeconds: 300, capacityPerPod: 150, current, minReplicasFloor: 0 }),
    ).toThrow();
  });

  it('pre-scales a recurring daily burst from the schedule and runs hotter without violations on held-out days', () => {
    const steps = 288 * 21;
    const load = Array.from({ length: steps }, (_, i) => {
      const m = i % 288;
      return 300 + 200 * Math.sin((2 * Math.PI * m) / 288) + (m >= 120 && m < 150 ? 900 : 0);
    });
    const current = { minReplicas: 2, maxReplicas: 10, targetUtilization: 0.7 };
    const a = adviseHpa(load, { stepSeconds: 300, capacityPerPod: 150, current });
    expect(a.recommended.schedule.length).toBeGreaterThan(0);
    expect(a.recommended.targetUtilization).toBeGreaterThan(0.7);
    expect(a.heldOut.current.violationMinutes).toBeGreaterThan(0);
    expect(a.heldOut.recommended.violationMinutes).toBe(0);
    expect(a.heldOut.recommended.replicaHours).toBeLessThan(0.9 * a.heldOut.current.replicaHours);
  });

  it('builds a daily schedule in 5-minute slots for a job that starts at :25 every hour, one window per run of equal floors', () => {
    // Two days at 5-minute steps: 300 units, and 600 from :25 to :35 of every hour (capacity 100, target 1).
    const load = Array.from({ length: 2 * 288 }, (_, i) => (i % 12 === 5 || i % 12 === 6 ? 600 : 300));
    const s = periodicSchedule(load, 300, 100, 1, 3, 10, 86_400, 300, 86_400, 1);
    // Floors of 6 from :20 (raised one slot early, so the pods are ready at :25) to :35, every hour.
    expect(s).toHaveLength(24);
    for (const [h, w] of s.entries())
      expect(w).toEqual({ fromSeconds: h * 3600 + 20 * 60, toSeconds: h * 3600 + 35 * 60, minReplicas: 6 });
  });
});
