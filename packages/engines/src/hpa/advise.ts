/**
 * HPA advice: recommends minReplicas, maxReplicas, target utilisation, scale-down stabilisation, the
 * scale-up policy and a scheduled pre-scale (periodic floor before recurring bursts), by replaying the
 * traffic history through the HPA simulation.
 *
 * To avoid grading a recommendation on the data it was tuned on, the history is split: the search
 * runs on the first part (default 70%) and the table reports the held-out remainder and the whole
 * trace for both the current and the recommended configuration.
 */
import { z } from 'zod';
import { hpaConfigSchema, type SimulationResult, simulateHpa } from './simulate.js';

export const adviseOptionsSchema = z.object({
  stepSeconds: z.number().gt(0),
  capacityPerPod: z.number().gt(0),
  current: hpaConfigSchema,
  /** Fraction of the history used for the search; the rest is held out for the report. */
  trainFraction: z.number().gt(0.2).lt(1).default(0.7),
  /** Replica-hours the recommendation may add over the current configuration (fraction). */
  maxExtraReplicaHours: z.number().min(0).default(0.1),
  /** Period of the pre-scale schedule in seconds (default one week) and its slot length. */
  schedulePeriodSeconds: z
    .number()
    .int()
    .min(3600)
    .default(7 * 86_400),
  scheduleSlotSeconds: z.number().int().min(60).default(3600),
  podStartupSeconds: z.number().min(0).default(60),
  /**
   * Also search a per-direction tolerance (`behavior.scaleUp.tolerance`): Kubernetes 1.35 and later
   * (beta, on by default), or 1.33–1.34 with the HPAConfigurableTolerance feature gate. Off: only the
   * cluster-wide 10% is used.
   */
  configurableTolerance: z.boolean().default(true),
  /**
   * The lowest minReplicas the search may recommend. 2 keeps a second pod through a node drain or a
   * rollout, as most production services want; 1 lets the search pick any floor.
   */
  minReplicasFloor: z.number().int().min(1).default(1),
});

export type AdviseOptions = z.input<typeof adviseOptionsSchema>;

export interface HpaEvaluation {
  readonly violationMinutes: number;
  readonly replicaHours: number;
  readonly maxReplicas: number;
}

export interface HpaAdvice {
  /** `schedule` holds the pre-scale windows laid out over the whole history (seconds from its start). */
  readonly recommended: z.output<typeof hpaConfigSchema>;
  /**
   * The pre-scale as it recurs: one period's windows (seconds from the start of the history, modulo
   * the period), to be applied every period from now on (a cron-driven minReplicas, KEDA's cron
   * scaler or similar). Absent when no schedule was recommended.
   */
  readonly preScale?: {
    readonly periodSeconds: number;
    readonly slotSeconds: number;
    /** Floors cover this quantile of each slot's load at the target utilisation. */
    readonly quantile: number;
    readonly windows: ReadonlyArray<{ fromSeconds: number; toSeconds: number; minReplicas: number }>;
  };
  readonly current: z.output<typeof hpaConfigSchema>;
  /** On the held-out part of the history. */
  readonly heldOut: { readonly current: HpaEvaluation; readonly recommended: HpaEvaluation };
  /** On the whole history. */
  readonly full: { readonly current: HpaEvaluation; readonly recommended: HpaEvaluation };
  readonly rationale: string[];
}

type Cfg = z.output<typeof hpaConfigSchema>;

/** A rule with this direction's tolerance set, or left to the cluster-wide default (undefined). */
function withTolerance(rule: Cfg['scaleUp'], tolerance: number | undefined): Cfg['scaleUp'] {
  const { tolerance: _, ...rest } = rule;
  return tolerance === undefined ? rest : { ...rest, tolerance };
}

function summary(r: SimulationResult): HpaEvaluation {
  return { violationMinutes: r.violationMinutes, replicaHours: r.replicaHours, maxReplicas: r.maxReplicas };
}

function quantile(values: number[], q: number): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (pos - lo);
}

/**
 * The `q` quantile of the load seen in each slot of the period (e.g. each hour of the week), the
 * first slot starting with the first point.
 */
export function slotQuantiles(
  load: ArrayLike<number>,
  stepSeconds: number,
  periodSeconds: number,
  slotSeconds: number,
  q: number,
): number[] {
  const slots = Math.max(1, Math.round(periodSeconds / slotSeconds));
  const bySlot: number[][] = Array.from({ length: slots }, () => []);
  for (let i = 0; i < load.length; i++) {
    const t = i * stepSeconds;
    bySlot[Math.floor((t % periodSeconds) / slotSeconds) % slots]?.push(load[i] ?? 0);
  }
  return bySlot.map((v) => quantile(v, q));
}

/**
 * Periodic pre-scale floors: for each slot of the period (e.g. each hour of the week), the replicas
 * needed for the `q` quantile of the load seen in that slot at the target utilisation. Slots whose
 * floor does not exceed `minReplicas` are omitted. Returned as windows over `[0, horizonSeconds)`.
 * `quantiles` may pass `slotQuantiles(load, …)` computed before (a search reuses them across targets).
 */
export function periodicSchedule(
  load: ArrayLike<number>,
  stepSeconds: number,
  capacityPerPod: number,
  target: number,
  minReplicas: number,
  maxReplicas: number,
  periodSeconds: number,
  slotSeconds: number,
  horizonSeconds: number,
  q = 0.9,
  quantiles: readonly number[] = slotQuantiles(load, stepSeconds, periodSeconds, slotSeconds, q),
): Cfg['schedule'] {
  const slots = quantiles.length;
  // Floors for each slot, raised one slot early so pods are ready when the burst starts.
  const floors = quantiles.map((v) => Math.min(maxReplicas, Math.ceil(v / (capacityPerPod * target))));
  const early = floors.map((f, s) => Math.max(f, floors[(s + 1) % slots] ?? 0));
  const out: Cfg['schedule'] = [];
  for (let start = 0; start < horizonSeconds; start += periodSeconds) {
    for (let s = 0; s < slots; s++) {
      const f = early[s] ?? 0;
      if (f <= minReplicas) continue;
      const from = start + s * slotSeconds;
      if (from >= horizonSeconds) break;
      const to = Math.min(horizonSeconds, from + slotSeconds);
      // Adjacent slots with the same floor are one window.
      const last = out[out.length - 1];
      if (last !== undefined && last.toSeconds === from && last.minReplicas === f) last.toSeconds = to;
      else out.push({ fromSeconds: from, toSeconds: to, minReplicas: f });
    }
  }
  return out;
}

const FAST_UP: Cfg['scaleUp'] = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 200, periodSeconds: 15 },
    { type: 'Pods', value: 8, periodSeconds: 15 },
  ],
};

/** Recommends HPA settings for a traffic history. */
export function adviseHpa(load: ArrayLike<number>, options: AdviseOptions): HpaAdvice {
  const opt = adviseOptionsSchema.parse(options);
  const current = opt.current;
  const n = load.length;
  const cut = Math.max(1, Math.floor(n * opt.trainFraction));
  const train = Array.from({ length: cut }, (_, i) => load[i] ?? 0);
  const sim = (
    cfg: Cfg,
    data: ArrayLike<number>,
    offsetSeconds = 0,
    stop?: (violationMinutes: number, replicaHours: number) => boolean,
  ) =>
    simulateHpa(
      data,
      {
        ...cfg,
        schedule: cfg.schedule
          .map((s) => ({
            ...s,
            fromSeconds: s.fromSeconds - offsetSeconds,
            toSeconds: s.toSeconds - offsetSeconds,
          }))
          .filter((s) => s.toSeconds > 0)
          .map((s) => ({ ...s, fromSeconds: Math.max(0, s.fromSeconds) })),
      },
      {
        stepSeconds: opt.stepSeconds,
        capacityPerPod: opt.capacityPerPod,
        podStartupSeconds: opt.podStartupSeconds,
        // Start in the steady state for the first load, not cold, so start-up is not counted.
        initialReplicas: Math.max(
          1,
          Math.ceil((data[0] ?? 0) / (opt.capacityPerPod * cfg.targetUtilization)),
        ),
      },
      stop,
    );
  const base = sim(current, train);
  const budget = base.replicaHours * (1 + opt.maxExtraReplicaHours);
  /** Lexicographic: within budget first, then fewer violations, then fewer replica-hours. */
  const better = (a: SimulationResult, b: SimulationResult): boolean => {
    const ai = a.replicaHours <= budget;
    const bi = b.replicaHours <= budget;
    if (ai !== bi) return ai;
    if (Math.abs(a.violationMinutes - b.violationMinutes) > 1e-9)
      return a.violationMinutes < b.violationMinutes;
    return a.replicaHours < b.replicaHours;
  };
  /**
   * Whether a replay whose totals so far are `v` and `rh` can no longer end better than `ref` (fewer
   * violations, or as many and fewer replica-hours): both totals only grow. Replays are stopped
   * there, so the search does the same comparisons on a fraction of the work.
   */
  const cannotBeat = (ref: SimulationResult, v: number, rh: number): boolean =>
    v > ref.violationMinutes + 1e-9 || (v >= ref.violationMinutes - 1e-9 && rh >= ref.replicaHours);
  const peakNeed = Math.ceil(quantile(train, 0.999) / opt.capacityPerPod);
  const maxCandidates = [
    ...new Set(
      [1, 1.2, 1.5, 2]
        .map((f) => Math.ceil(current.maxReplicas * f))
        .concat(Math.max(current.maxReplicas, Math.ceil(peakNeed / 0.6))),
    ),
  ];
  interface ScheduleParams {
    readonly periodSeconds: number;
    readonly slotSeconds: number;
    readonly q: number;
  }
  let best: Cfg = current;
  let bestRes = base;
  let bestSchedule: ScheduleParams | undefined;
  // The best is always within budget (it starts as the current configuration), so a replay past the
  // budget, or one that cannot beat the best, is stopped.
  const consider = (cfg: Cfg, schedule?: ScheduleParams): SimulationResult => {
    const r = sim(cfg, train, 0, (v, rh) => rh > budget || cannotBeat(bestRes, v, rh));
    if (!r.abandoned && better(r, bestRes)) {
      best = cfg;
      bestRes = r;
      bestSchedule = schedule;
    }
    return r;
  };
  // Slot quantiles depend on the data and the schedule's shape only, not on the HPA settings searched
  // around them: computed once per data, period, slot length and quantile.
  const quantileCache = new Map<ArrayLike<number>, Map<string, number[]>>();
  const quantilesOf = (from: ArrayLike<number>, p: ScheduleParams): number[] => {
    let byParams = quantileCache.get(from);
    if (byParams === undefined) {
      byParams = new Map();
      quantileCache.set(from, byParams);
    }
    const key = `${p.periodSeconds}/${p.slotSeconds}/${p.q}`;
    let qs = byParams.get(key);
    if (qs === undefined) {
      qs = slotQuantiles(from, opt.stepSeconds, p.periodSeconds, p.slotSeconds, p.q);
      byParams.set(key, qs);
    }
    return qs;
  };
  const scheduleFor = (
    cfg: Cfg,
    p: ScheduleParams,
    horizonSeconds: number,
    from: ArrayLike<number> = train,
  ) =>
    periodicSchedule(
      from,
      opt.stepSeconds,
      opt.capacityPerPod,
      cfg.targetUtilization,
      cfg.minReplicas,
      cfg.maxReplicas,
      p.periodSeconds,
      p.slotSeconds,
      horizonSeconds,
      p.q,
      quantilesOf(from, p),
    );
  // Stage 1: target, floor and ceiling.
  // A smaller scale-up tolerance reacts before the pods are full, which is what lets a high target
  // run without violations; it is searched together with the target.
  // (Below 75% the headroom is already large: the cluster-wide tolerance only.)
  const upTolerances = (target: number): Array<number | undefined> =>
    opt.configurableTolerance && target >= 0.75
      ? [...new Set([current.scaleUp.tolerance, 0.05, 0.03, 0.02])]
      : [current.scaleUp.tolerance];
  // A replay that never reached its ceiling is the same replay under any higher ceiling (the clamp
  // never acts), so those are skipped: same result, a fraction of the work on traces far below it.
  for (const targetUtilization of [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9])
    for (const minReplicas of [...new Set([opt.minReplicasFloor, 1, 2, 3, 4, 6])].filter(
      (m) => m >= opt.minReplicasFloor,
    )) {
      // Per scale-up tolerance, the lowest ceiling a replay did not reach.
      const unboundedAt = new Map<number | undefined, number>();
      for (const maxReplicas of maxCandidates)
        for (const upTolerance of upTolerances(targetUtilization)) {
          const ceiling = unboundedAt.get(upTolerance) ?? Number.POSITIVE_INFINITY;
          if (minReplicas > maxReplicas || maxReplicas > ceiling) continue;
          const r = consider({
            ...current,
            targetUtilization,
            minReplicas,
            maxReplicas,
            scaleUp: withTolerance(current.scaleUp, upTolerance),
            schedule: [],
          });
          // Also when the replay was stopped: up to where it stopped, a higher ceiling replays the
          // same steps to the same totals, and the best can only have improved since, so that
          // replay would be stopped too.
          if (r.maxReplicas < maxReplicas) unboundedAt.set(upTolerance, Math.min(ceiling, maxReplicas));
        }
    }
  // Stage 2: scale-down stabilisation and a faster scale-up policy.
  const s1: Cfg = best;
  for (const w of [60, 120, 300, 600, 900])
    for (const up of [s1.scaleUp, FAST_UP])
      consider({
        ...s1,
        scaleUp: withTolerance(up, s1.scaleUp.tolerance),
        scaleDown: { ...s1.scaleDown, stabilizationWindowSeconds: w },
      });
  // Stage 3: periodic pre-scale floors (weekly and daily profiles of the load, a few quantiles and
  // slot lengths), also with targets above the stage-2 choice: floors that cover the recurring load
  // let the HPA run its pods hotter. Floors fitted on a history flatter themselves on that history,
  // so this stage is chosen by an inner replay: floors learned on the first 70% of the search part,
  // replayed on its last 30%; a schedule is kept only if it adds no violations there and saves
  // replica-hours, and then it is refitted on the whole search part.
  const s2: Cfg = best;
  const fitCut = Math.floor(cut * 0.7);
  const fitPart = train.slice(0, fitCut);
  const valPart = train.slice(fitCut);
  const valOffset = fitCut * opt.stepSeconds;
  const s2Val = sim(s2, valPart, valOffset);
  let bestVal = s2Val;
  const targets = [...new Set([s2.targetUtilization, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97])].filter(
    (t) => t >= s2.targetUtilization,
  );
  const periods = [...new Set([opt.schedulePeriodSeconds, 86_400])].filter(
    (p) => p <= (fitCut * opt.stepSeconds) / 2,
  );
  const slots = [...new Set([opt.scheduleSlotSeconds, 900, 300])].filter((v) => v >= opt.stepSeconds);
  for (const targetUtilization of targets)
    for (const upTolerance of upTolerances(targetUtilization))
      for (const periodSeconds of periods)
        for (const slotSeconds of slots)
          for (const q of [0.5, 0.75, 0.9, 0.99, 1]) {
            const cfg: Cfg = { ...s2, targetUtilization, scaleUp: withTolerance(s2.scaleUp, upTolerance) };
            const params = { periodSeconds, slotSeconds, q };
            const val = sim(
              { ...cfg, schedule: scheduleFor(cfg, params, cut * opt.stepSeconds, fitPart) },
              valPart,
              valOffset,
              (v, rh) => cannotBeat(bestVal, v, rh),
            );
            if (val.abandoned) continue;
            // Same order as the search: fewer violations first, then fewer replica-hours.
            const fewer = val.violationMinutes < bestVal.violationMinutes - 1e-9;
            const equal = Math.abs(val.violationMinutes - bestVal.violationMinutes) <= 1e-9;
            if (!fewer && !(equal && val.replicaHours < bestVal.replicaHours)) continue;
            const whole: Cfg = { ...cfg, schedule: scheduleFor(cfg, params, cut * opt.stepSeconds) };
            const tooMuch = (v: number, rh: number) => rh > budget || v > bestRes.violationMinutes + 1e-9;
            const r = sim(whole, train, 0, tooMuch);
            if (r.abandoned || tooMuch(r.violationMinutes, r.replicaHours)) continue;
            bestVal = val;
            best = whole;
            bestSchedule = params;
          }
  const chosen: Cfg = best;
  // The schedule found on the training part, extended periodically over the whole history.
  const chosenSchedule: ScheduleParams | undefined = bestSchedule;
  const fullSchedule =
    chosenSchedule !== undefined ? scheduleFor(chosen, chosenSchedule, n * opt.stepSeconds) : [];
  const recommended: Cfg = { ...chosen, schedule: fullSchedule };
  const held = Array.from({ length: n - cut }, (_, i) => load[cut + i] ?? 0);
  const offset = cut * opt.stepSeconds;
  const preScale =
    chosenSchedule !== undefined && fullSchedule.length > 0
      ? {
          periodSeconds: chosenSchedule.periodSeconds,
          slotSeconds: chosenSchedule.slotSeconds,
          quantile: chosenSchedule.q,
          windows: scheduleFor(chosen, chosenSchedule, chosenSchedule.periodSeconds),
        }
      : undefined;
  const rationale = [
    `searched on the first ${Math.round(opt.trainFraction * 100)}% of the history (${cut} steps), reported on the rest`,
    `target ${Math.round(recommended.targetUtilization * 100)}%, min ${recommended.minReplicas}, max ${recommended.maxReplicas}, scale-down window ${recommended.scaleDown.stabilizationWindowSeconds}s${recommended.scaleUp.tolerance !== undefined ? `, scale-up tolerance ${Math.round(recommended.scaleUp.tolerance * 100)}% (behavior.scaleUp.tolerance: Kubernetes ≥ 1.35, or the HPAConfigurableTolerance gate on 1.33–1.34)` : ''}`,
    preScale !== undefined
      ? `scheduled pre-scale: a ${preScale.periodSeconds === 86_400 ? 'daily' : preScale.periodSeconds === 604_800 ? 'weekly' : `${preScale.periodSeconds / 3600} h`} profile in ${preScale.slotSeconds / 60}-minute slots (replicas for the ${Math.round(preScale.quantile * 100)}th percentile of each slot's load, raised one slot early): ${recommended.schedule.length} windows raising minReplicas before recurring peaks`
      : 'no scheduled pre-scale',
  ];
  return {
    recommended,
    ...(preScale !== undefined ? { preScale } : {}),
    current,
    heldOut: {
      current: summary(sim(current, held, offset)),
      recommended: summary(sim(recommended, held, offset)),
    },
    full: { current: summary(sim(current, load)), recommended: summary(sim(recommended, load)) },
    rationale,
  };
}
