import { describe, expect, it } from 'vitest';
import { hpaDesiredReplicas, SlidingExtreme, simulateHpa } from './simulate.js';

describe('Kubernetes HPA formula', () => {
  it('is desired = ceil(current × metric / target)', () => {
    expect(hpaDesiredReplicas(3, 0.9, 0.5)).toBe(6); // ceil(5.4)
    expect(hpaDesiredReplicas(10, 0.2, 0.7)).toBe(3); // ceil(2.857)
    expect(hpaDesiredReplicas(4, 1.4, 0.7)).toBe(8);
  });

  it('keeps the current count within the 10% tolerance', () => {
    expect(hpaDesiredReplicas(5, 0.76, 0.7)).toBe(5); // ratio 1.086
    expect(hpaDesiredReplicas(5, 0.64, 0.7)).toBe(5); // ratio 0.914
    expect(hpaDesiredReplicas(5, 0.78, 0.7)).toBe(6); // ratio 1.114 → ceil(5.57)
    // the boundary, as Kubernetes ≥ 1.33 computes it: 77 / 70 = 1.1 ≤ 1 + 0.1 stays
    expect(hpaDesiredReplicas(5, 0.77, 0.7)).toBe(5);
  });

  it('applies a per-direction tolerance (behavior.scaleUp/scaleDown.tolerance)', () => {
    const noUp = { up: 0, down: 0.1 };
    expect(hpaDesiredReplicas(5, 0.75, 0.7, noUp)).toBe(6); // ratio 1.071 > 1 → ceil(5.36)
    expect(hpaDesiredReplicas(5, 0.7, 0.7, noUp)).toBe(5); // exactly on target
    expect(hpaDesiredReplicas(5, 0.64, 0.7, noUp)).toBe(5); // 0.914 ≥ 1 − 0.1
    expect(hpaDesiredReplicas(5, 0.64, 0.7, { up: 0.1, down: 0.05 })).toBe(5); // ceil(4.57) = 5 anyway
    expect(hpaDesiredReplicas(10, 0.64, 0.7, { up: 0.1, down: 0.05 })).toBe(10); // ceil(9.14) = 10
    expect(hpaDesiredReplicas(10, 0.6, 0.7, { up: 0.1, down: 0.05 })).toBe(9); // 0.857 → ceil(8.57)
  });
});

describe('HPA replay', () => {
  const base = { stepSeconds: 60, capacityPerPod: 100, podStartupSeconds: 0, metricLagSeconds: 0 };

  it('scales up sooner with a zero scale-up tolerance', () => {
    // 100 per pod, 10 pods, load 750: 75% of a 70% target is within the cluster-wide 10%, but not
    // within a scale-up tolerance of 0 → ceil(10 × 75 / 70) = 11.
    const load = new Array(5).fill(750);
    const cfg = { minReplicas: 2, maxReplicas: 20, targetUtilization: 0.7 };
    const opts = { ...base, initialReplicas: 10 };
    expect(simulateHpa(load, cfg, opts).replicas.at(-1)).toBe(10);
    const eager = {
      ...cfg,
      scaleUp: {
        stabilizationWindowSeconds: 0,
        tolerance: 0,
        policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 15 }],
      },
    };
    expect(simulateHpa(load, eager, opts).replicas.at(-1)).toBe(11);
  });

  it('settles on a steady load once utilisation is within the tolerance of the target', () => {
    // 900 load, 100 per pod: 2 → 6 (rate limit: max(+100%, +4)) → 12 (ceil(6 × 150% / 70%) = 13, limited
    // to +100%) → 12 stays: 900 / 1200 = 75%, within 10% of 70%.
    const load = new Array(60).fill(900);
    const r = simulateHpa(load, { minReplicas: 2, maxReplicas: 20, targetUtilization: 0.7 }, base);
    expect(r.replicas.slice(0, 3)).toEqual([12, 12, 12]);
    expect(r.replicas.at(-1)).toBe(12);
    // from a count outside the tolerance it goes straight to the formula's answer
    const r2 = simulateHpa(
      load,
      { minReplicas: 2, maxReplicas: 20, targetUtilization: 0.7 },
      { ...base, initialReplicas: 9 },
    );
    expect(r2.replicas.at(-1)).toBe(13); // 900 / 900 = 100% → ceil(9 × 1.0 / 0.7) = 13
  });

  it('limits scale-up by the default policies (max of 100% and 4 pods per 15 s)', () => {
    const load = new Array(3).fill(5000);
    const r = simulateHpa(
      load,
      { minReplicas: 1, maxReplicas: 100, targetUtilization: 0.5 },
      { ...base, stepSeconds: 15 },
    );
    // 1 → max(2, 5) = 5 → max(10, 9) = 10 → 20
    expect(r.replicas).toEqual([5, 10, 20]);
  });

  it('waits for the scale-down stabilisation window before removing pods', () => {
    const load = [...new Array(10).fill(700), ...new Array(10).fill(70)];
    const r = simulateHpa(load, { minReplicas: 1, maxReplicas: 20, targetUtilization: 0.7 }, base);
    expect(r.replicas[9]).toBe(10);
    // the load drops at step 10; with a 300 s window the count holds for 5 minutes
    expect(r.replicas[13]).toBe(10);
    expect(r.replicas[16]).toBe(1);
  });

  it('counts violation minutes when load exceeds the ready pods and respects maxReplicas', () => {
    const load = new Array(30).fill(2000);
    const r = simulateHpa(load, { minReplicas: 2, maxReplicas: 10, targetUtilization: 0.7 }, base);
    expect(r.maxReplicas).toBe(10);
    expect(r.violationMinutes).toBeCloseTo(30, 6);
    expect(r.replicaHours).toBeGreaterThan(0);
  });

  it('raises the floor during a scheduled pre-scale window', () => {
    const load = new Array(20).fill(50);
    const r = simulateHpa(
      load,
      {
        minReplicas: 1,
        maxReplicas: 10,
        targetUtilization: 0.7,
        schedule: [{ fromSeconds: 300, toSeconds: 600, minReplicas: 6 }],
      },
      base,
    );
    expect(r.replicas[2]).toBe(1);
    expect(r.replicas[6]).toBe(6);
  });

  it('applies overlapping, unsorted scheduled floors (regression: the time-ordered sweep of windows)', () => {
    const load = new Array(30).fill(10); // one pod's worth, far below every floor
    const schedule = [
      { fromSeconds: 600, toSeconds: 1200, minReplicas: 5 },
      { fromSeconds: 300, toSeconds: 900, minReplicas: 3 },
      { fromSeconds: 1500, toSeconds: 1560, minReplicas: 7 },
    ];
    const r = simulateHpa(load, { minReplicas: 1, maxReplicas: 20, targetUtilization: 0.7, schedule }, base);
    // steps are 60 s; replicas are the spec at the end of each step
    expect(r.replicas[2]).toBe(1); // before any window (t < 300)
    expect(r.replicas[5]).toBeGreaterThanOrEqual(3); // only the 3-floor (300–600)
    expect(r.replicas[12]).toBeGreaterThanOrEqual(5); // both overlap (600–900): the higher wins
    expect(r.replicas[25]).toBeGreaterThanOrEqual(7); // the short late window (1500–1560)
  });
});

describe('HPA replay, stopped early', () => {
  it('stops where asked, with totals that are a prefix of the whole replay', () => {
    const load = Array.from({ length: 200 }, (_, i) => (i % 50 < 25 ? 300 : 900));
    const cfg = { minReplicas: 2, maxReplicas: 12, targetUtilization: 0.7 };
    const opts = { stepSeconds: 60, capacityPerPod: 100 };
    const whole = simulateHpa(load, cfg, opts);
    expect(whole.abandoned).toBe(false);
    expect(whole.violationMinutes).toBeGreaterThan(0);
    let asked = 0;
    const stopped = simulateHpa(load, cfg, opts, (v) => {
      asked++;
      return v > 0; // stop at the first step with a violation
    });
    expect(stopped.abandoned).toBe(true);
    expect(stopped.replicas).toEqual(whole.replicas.slice(0, asked));
    expect(stopped.violationMinutes).toBeGreaterThan(0);
    expect(stopped.violationMinutes).toBeLessThan(whole.violationMinutes);
    expect(stopped.replicaHours).toBeLessThan(whole.replicaHours);
    // Never asked to stop: the same replay.
    expect(simulateHpa(load, cfg, opts, () => false)).toEqual(whole);
  });
});

describe('SlidingExtreme (stabilisation windows)', () => {
  it('gives the max and the min over the window, as a scan of every entry does', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (const window of [0, 15, 60, 300]) {
      const max = new SlidingExtreme(window, true);
      const min = new SlidingExtreme(window, false);
      const seen: Array<{ t: number; v: number }> = [];
      for (let k = 0; k < 3000; k++) {
        const t = k * 15;
        const v = 1 + Math.floor(rand() * 12); // whole replica counts: many ties
        seen.push({ t, v });
        const inWindow = seen.filter((e) => e.t >= t - window).map((e) => e.v);
        expect(max.push(t, v)).toBe(Math.max(...inWindow));
        expect(min.push(t, v)).toBe(Math.min(...inWindow));
      }
    }
  });
});
