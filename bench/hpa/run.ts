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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adviseHpa } from '@devops-ai/engines';

const { values: args } = parseArgs({
  options: { data: { type: 'string', default: '../shared/data/traffic' } },
});
const dir = args.data ?? '../shared/data/traffic';

function column(path: string, name: string): number[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const idx = (head ?? '').split(',').indexOf(name);
  if (idx < 0) throw new Error(`${path}: no column ${name}`);
  return lines.map((l) => Number(l.split(',')[idx]));
}

const traces: Array<{ name: string; load: number[]; stepSeconds: number }> = [
  {
    name: 'NASA requests/min',
    load: column(join(dir, 'nasa_requests_per_minute.csv'), 'requests'),
    stepSeconds: 60,
  },
  {
    name: 'Alibaba 2018 cpu %',
    load: column(
      join(dir, 'datacenter_traces/alibaba2018/machine_usage_days_1_to_8_grouped_300_seconds.csv'),
      'cpu_util_percent',
    ),
    stepSeconds: 300,
  },
  {
    name: 'Azure v2 cpu',
    load: column(
      join(dir, 'datacenter_traces/azure_v2/vm_cpu_readings_month_aggregated_cpu_mem.csv'),
      'cpu_usage',
    ),
    stepSeconds: 300,
  },
  {
    name: 'Google 2019 cpu',
    load: column(
      join(dir, 'datacenter_traces/google2019/instance_usage_grouped_300_seconds_month.csv'),
      'avg_cpu',
    ),
    stepSeconds: 300,
  },
];

const current = { minReplicas: 2, maxReplicas: 10, targetUtilization: 0.7 };
const pct = (a: number, b: number) =>
  b === 0 ? (a === 0 ? 0 : Number.POSITIVE_INFINITY) : (100 * (a - b)) / b;
const fmt = (v: number) => v.toFixed(1).padStart(9);

console.log('HPA advice vs default HPA (min 2, max 10, target 70%), held-out 30% of each trace');
console.log(
  `${'trace'.padEnd(28)} ${'cap/pod'.padStart(9)} | ${'viol min'.padStart(9)} ${'rec'.padStart(9)} | ${'repl-h'.padStart(9)} ${'rec'.padStart(9)} ${'Δ%'.padStart(6)} | recommended | verdict`,
);
for (const t of traces) {
  const clean = t.load.map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
  const sorted = [...clean].sort((a, b) => a - b);
  const capacityPerPod = (sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 1) / 6;
  const t0 = performance.now();
  const a = adviseHpa(clean, { stepSeconds: t.stepSeconds, capacityPerPod, current });
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
