import { describe, expect, it } from 'vitest';
import { adviseHpa } from './advise.js';

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
});
