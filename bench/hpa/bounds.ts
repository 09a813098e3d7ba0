/**
 * Upper bounds for HPA advice on the smooth datacenter traces (Azure, Google), where the default HPA
 * has no violations and advice can only win on replica-hours. All on the held-out 30% that
 * `bench/hpa/run.ts` reports, with configurations chosen on that same held-out data, so these are
 * ceilings, not results:
 * - the best static HPA at zero violations (grid over target, scale-up tolerance, min, scale-down window);
 * - the same HPA with a minimum per hour of the day (a time-of-day schedule) fitted with hindsight;
 * - the same HPA with perfect one-step foresight floors (minReplicas = ceil(next step's load / capacity)
 *   from 2 minutes before each step);
 * - exactly ceil(load / capacity) pods at every step;
 * and how predictable the next change is (autocorrelation of the step-to-step changes).
 *
 *   npx tsx bench/hpa/bounds.ts [--data ../shared/data/traffic]
 */
import { parseArgs } from 'node:util';
import { type HpaConfig, simulateHpa } from '@devops-ai/engines';
import { readTraces } from './traces.js';

const { values: args } = parseArgs({
  options: { data: { type: 'string', default: '../shared/data/traffic' } },
});
const traces = readTraces(args.data ?? '../shared/data/traffic').filter((t) =>
  /^(Azure|Google)/.test(t.name),
);
const pct = (a: number, b: number) => `${((100 * (a - b)) / b).toFixed(1)}%`;

for (const { name, load, capacityPerPod, stepSeconds: step } of traces) {
  const held = load.slice(Math.floor(load.length * 0.7));
  const sim = (cfg: HpaConfig) =>
    simulateHpa(held, cfg, {
      stepSeconds: step,
      capacityPerPod,
      initialReplicas: Math.max(1, Math.ceil((held[0] ?? 0) / (capacityPerPod * cfg.targetUtilization))),
    });
  const hpa = (
    targetUtilization: number,
    tolerance: number,
    minReplicas: number,
    down: number,
  ): HpaConfig => ({
    minReplicas,
    maxReplicas: 12,
    targetUtilization,
    scaleUp: {
      stabilizationWindowSeconds: 0,
      tolerance,
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: 4, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: down,
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    },
  });
  const base = sim({ minReplicas: 2, maxReplicas: 10, targetUtilization: 0.7 }).replicaHours;
  let oracle = 0;
  for (const v of held) oracle += (Math.ceil(v / capacityPerPod) * step) / 3600;

  let staticBest = { rh: Number.POSITIVE_INFINITY, label: 'none' };
  let foresightBest = { rh: Number.POSITIVE_INFINITY, label: 'none' };
  const floors = held.map((v, i) => ({
    fromSeconds: Math.max(0, i * step - 120),
    toSeconds: (i + 1) * step,
    minReplicas: Math.ceil(v / capacityPerPod),
  }));
  for (let t = 80; t <= 97; t++)
    for (const tol of [0, 0.02, 0.03, 0.05, 0.1])
      for (const down of [60, 300]) {
        for (const min of [1, 2, 3, 4, 5, 6, 7]) {
          const r = sim(hpa(t / 100, tol, min, down));
          if (r.violationMinutes === 0 && r.replicaHours < staticBest.rh)
            staticBest = {
              rh: r.replicaHours,
              label: `target ${t}%, up-tol ${tol * 100}%, min ${min}, down ${down}s`,
            };
        }
        const r = sim({ ...hpa(t / 100, tol, 1, down), schedule: floors });
        if (r.violationMinutes === 0 && r.replicaHours < foresightBest.rh)
          foresightBest = { rh: r.replicaHours, label: `target ${t}%, up-tol ${tol * 100}%, down ${down}s` };
      }
  // A floor per hour of the day (a time-of-day schedule, as the advisor can recommend), chosen with
  // hindsight: from 9 pods everywhere, each hour's floor is lowered while the replay stays at zero
  // violations and does not cost more (three passes over the hours), for targets and tolerances
  // around the static optimum.
  const perDay = Math.round(86_400 / step);
  const offset = Math.floor(load.length * 0.7);
  const hourly = (t: number, tol: number, byHour: number[]) =>
    sim({
      ...hpa(t, tol, 1, 60),
      schedule: held.map((_, i) => ({
        fromSeconds: i * step,
        toSeconds: (i + 1) * step,
        minReplicas: byHour[Math.floor((((offset + i) % perDay) * 24) / perDay)] ?? 1,
      })),
    });
  let hourlyBest = { rh: Number.POSITIVE_INFINITY, label: 'none' };
  for (const t of [0.88, 0.9, 0.92, 0.94])
    for (const tol of [0.03, 0.05]) {
      const byHour: number[] = Array(24).fill(9);
      let cur = hourly(t, tol, byHour);
      if (cur.violationMinutes > 0) continue;
      for (let pass = 0; pass < 3; pass++)
        for (let h = 0; h < 24; h++)
          while ((byHour[h] ?? 1) > 1) {
            byHour[h] = (byHour[h] ?? 1) - 1;
            const r = hourly(t, tol, byHour);
            if (r.violationMinutes > 0 || r.replicaHours > cur.replicaHours) {
              byHour[h] = (byHour[h] ?? 0) + 1;
              break;
            }
            cur = r;
          }
      if (cur.replicaHours < hourlyBest.rh)
        hourlyBest = {
          rh: cur.replicaHours,
          label: `target ${t * 100}%, up-tol ${tol * 100}%, floors by hour ${byHour.join(' ')}`,
        };
    }
  console.log(
    `${name}: held-out replica-hours, default HPA ${base.toFixed(1)}; −20% is ${(0.8 * base).toFixed(1)}`,
  );
  console.log(
    `  best static HPA at 0 violations   ${staticBest.rh.toFixed(1)} (${pct(staticBest.rh, base)})  ${staticBest.label}`,
  );
  console.log(
    `  hour-of-day floors, hindsight      ${hourlyBest.rh.toFixed(1)} (${pct(hourlyBest.rh, base)})  ${hourlyBest.label}`,
  );
  console.log(
    `  perfect one-step foresight floors ${foresightBest.rh.toFixed(1)} (${pct(foresightBest.rh, base)})  ${foresightBest.label}`,
  );
  console.log(`  exactly ceil(load / capacity)     ${oracle.toFixed(1)} (${pct(oracle, base)})`);
  // Can a forecast know the next rise? Autocorrelation of the step-to-step changes (whole trace).
  const diff = load.map((v, i) => (i > 0 ? v - (load[i - 1] ?? v) : 0));
  const acf = (lag: number) => {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = lag + 1; i < diff.length; i++) {
      const a = diff[i] ?? 0;
      const b = diff[i - lag] ?? 0;
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
    return (xy / Math.sqrt(xx * yy)).toFixed(2);
  };
  const day = Math.round(86_400 / step);
  console.log(
    `  changes correlated with the change 1 / 2 steps before ${acf(1)} / ${acf(2)}, a day before ${acf(day)}, a week before ${acf(7 * day)}`,
  );
}
