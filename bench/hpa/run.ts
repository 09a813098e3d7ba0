/**
 * HPA-advice benchmark: for the NASA trace and the datacenter traces, compares a default HPA
 * (min 2, max 10, 70% CPU) with the engine's recommendation, replaying each trace through the
 * Kubernetes HPA simulation. The recommendation is searched on the first 70% of each trace and
 * reported on the held-out 30% (and on the whole trace).
 *
 *   npx tsx bench/hpa/run.ts [--data ../shared/data/traffic]
 *
 * Per-pod capacity is a benchmark assumption: the trace's 95th percentile load / 6 (so that the
 * default HPA's ceiling of 10 pods at 70% is tight at the peaks), printed with each row.
 */
import { parseArgs } from 'node:util';
import { adviseHpa } from '@devops-ai/engines';
import { readTraces } from './traces.js';

const { values: args } = parseArgs({
  options: { data: { type: 'string', default: '../shared/data/traffic' } },
});
const traces = readTraces(args.data ?? '../shared/data/traffic');

const current = { minReplicas: 2, maxReplicas: 10, targetUtilization: 0.7 };
const pct = (a: number, b: number) =>
  b === 0 ? (a === 0 ? 0 : Number.POSITIVE_INFINITY) : (100 * (a - b)) / b;
const fmt = (v: number) => v.toFixed(1).padStart(9);

console.log('HPA advice vs default HPA (min 2, max 10, target 70%), held-out 30% of each trace');
console.log(
  `${'trace'.padEnd(28)} ${'cap/pod'.padStart(9)} | ${'viol min'.padStart(9)} ${'rec'.padStart(9)} | ${'repl-h'.padStart(9)} ${'rec'.padStart(9)} ${'Δ%'.padStart(6)} | recommended | verdict`,
);
for (const t of traces) {
  const { capacityPerPod } = t;
  const t0 = performance.now();
  const a = adviseHpa(t.load, { stepSeconds: t.stepSeconds, capacityPerPod, current });
  const secs = (performance.now() - t0) / 1000;
  for (const [label, r] of [
    ['held-out', a.heldOut],
    ['full', a.full],
  ] as const) {
    const dv = pct(r.recommended.violationMinutes, r.current.violationMinutes);
    const dr = pct(r.recommended.replicaHours, r.current.replicaHours);
    const cuts = r.recommended.violationMinutes < r.current.violationMinutes && dr <= 10;
    const saves = r.recommended.violationMinutes <= r.current.violationMinutes && dr <= -20;
    const rec = a.recommended;
    console.log(
      `${`${t.name} ${label}`.padEnd(28)} ${capacityPerPod.toPrecision(4).padStart(9)} | ${fmt(r.current.violationMinutes)} ${fmt(r.recommended.violationMinutes)} | ${fmt(r.current.replicaHours)} ${fmt(r.recommended.replicaHours)} ${dr.toFixed(2).padStart(6)} | min ${rec.minReplicas} max ${rec.maxReplicas} ${Math.round(rec.targetUtilization * 100)}% down ${rec.scaleDown.stabilizationWindowSeconds}s${rec.scaleUp.tolerance !== undefined ? ` up-tol ${Math.round(rec.scaleUp.tolerance * 100)}%` : ''}${rec.schedule.length ? ` +${rec.schedule.length} pre-scale windows` : ''} | ${cuts ? `violations ${dv.toFixed(0)}%` : saves ? 'saves ≥20% replica-hours' : 'criterion not met'}`,
    );
  }
  console.log(`${''.padEnd(28)} (advice computed in ${secs.toFixed(1)} s)`);
}
