/**
 * Replay of the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) algorithm over a load trace.
 *
 * Per sync period (default 15 s), as the HPA controller does:
 * 1. usage ratio = observed utilisation / target; desired = ceil(ready × ratio), unchanged when
 *    1 − down tolerance ≤ ratio ≤ 1 + up tolerance (the cluster-wide 0.1, or per direction with
 *    `behavior.scaleUp/scaleDown.tolerance`: Kubernetes 1.33 alpha, beta and on by default from
 *    1.35, KEP-4951). When scaling up with pods not yet ready, the ratio is recomputed
 *    counting them at 0% use (and the scale-up dropped if it no longer holds), as the controller does
 *    for unready pods.
 * 2. Stabilisation: the recommendation used is the maximum of the recommendations in the scale-down
 *    stabilisation window (default 300 s) when scaling down, the minimum of those in the scale-up
 *    window (default 0 s) when scaling up.
 * 3. Rate limits (behavior policies): relative to the replica count at the start of each policy's
 *    period, Pods policies add/remove `value` pods and Percent policies `value`% (up: ceil, down:
 *    truncation); selectPolicy Max picks the largest change, Min the smallest, Disabled none.
 * 4. Clamp to [minReplicas, maxReplicas]; a schedule may raise minReplicas over time (pre-scaling).
 * New pods serve after `podStartupSeconds`; utilisation is observed with `metricLagSeconds` delay.
 */
import { z } from 'zod';

const policySchema = z.object({
  type: z.enum(['Pods', 'Percent']),
  value: z.number().int().min(1),
  periodSeconds: z.number().int().min(1).max(1800),
});

const ruleSchema = z.object({
  stabilizationWindowSeconds: z.number().int().min(0).max(3600),
  /** This direction's tolerance (`behavior.scaleUp.tolerance`); unset: the cluster-wide one. */
  tolerance: z.number().min(0).lt(1).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).default('Max'),
  policies: z.array(policySchema).min(1),
});

export const hpaConfigSchema = z.object({
  minReplicas: z.number().int().min(1),
  maxReplicas: z.number().int().min(1),
  /** Target average utilisation as a fraction of the pod's request, e.g. 0.7. */
  targetUtilization: z.number().gt(0).max(10),
  tolerance: z.number().min(0).lt(1).default(0.1),
  scaleUp: ruleSchema.default({
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 15 },
      { type: 'Pods', value: 4, periodSeconds: 15 },
    ],
  }),
  scaleDown: ruleSchema.default({
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  }),
  /** Scheduled floors: from `atSeconds` (offset in the trace) on, minReplicas is at least `minReplicas`. */
  schedule: z
    .array(
      z.object({
        fromSeconds: z.number().min(0),
        toSeconds: z.number().min(0),
        minReplicas: z.number().int().min(1),
      }),
    )
    .default([]),
});

export type HpaConfig = z.input<typeof hpaConfigSchema>;
type Hpa = z.output<typeof hpaConfigSchema>;

export const simulationOptionsSchema = z.object({
  /** Seconds between trace points. */
  stepSeconds: z.number().gt(0),
  /** Load one pod can serve within its SLO (same units as the trace per step); utilisation = load / (ready × capacity). */
  capacityPerPod: z.number().gt(0),
  syncPeriodSeconds: z.number().gt(0).default(15),
  podStartupSeconds: z.number().min(0).default(60),
  metricLagSeconds: z.number().min(0).default(30),
  initialReplicas: z.number().int().min(1).optional(),
});

export type SimulationOptions = z.input<typeof simulationOptionsSchema>;

export interface SimulationResult {
  /** Replicas (spec) at the end of each trace step. */
  readonly replicas: number[];
  /** Ready replicas during each trace step (minimum over its sync periods). */
  readonly ready: number[];
  /** Minutes in which load exceeded the ready pods' capacity (SLO at risk). */
  readonly violationMinutes: number;
  readonly replicaHours: number;
  readonly maxReplicas: number;
  readonly scaleEvents: number;
  /**
   * The replay was stopped early by `stop`: the totals cover the steps replayed so far, which are
   * lower bounds of the whole replay's (both only grow).
   */
  readonly abandoned: boolean;
}

/**
 * The Kubernetes HPA replica formula with tolerance: ceil(current × metric / target), or current while
 * 1 − down ≤ metric / target ≤ 1 + up (one number: the same tolerance both ways).
 */
export function hpaDesiredReplicas(
  current: number,
  metric: number,
  target: number,
  tolerance: number | { readonly up: number; readonly down: number } = 0.1,
): number {
  // The controller divides whole percents (int64 / int32) and compares with 1 ± tolerance, as
  // Kubernetes 1.33+ does; doing the same here keeps boundary cases (77% of 70%) on its side.
  const mp = Math.round(metric * 100);
  const tp = Math.round(target * 100);
  const whole = Math.abs(metric * 100 - mp) < 1e-6 && Math.abs(target * 100 - tp) < 1e-6 && tp > 0;
  const ratio = whole ? mp / tp : metric / target;
  const tol = typeof tolerance === 'number' ? { up: tolerance, down: tolerance } : tolerance;
  if (ratio >= 1 - tol.down && ratio <= 1 + tol.up) return current;
  // The controller works in whole percent and milli-units; absorb binary floating-point noise.
  return Math.ceil(current * ratio - 1e-9);
}

/** Utilisation as the controller sees it: whole percent of the pods' requests (truncated). */
function wholePercent(utilisation: number): number {
  return Math.floor(utilisation * 100 + 1e-9) / 100;
}

interface Event {
  readonly t: number;
  readonly delta: number;
}

/** Largest replica count allowed by a rule's policies for scaling up from `current`. */
function scaleUpLimit(rule: Hpa['scaleUp'], events: readonly Event[], now: number, current: number): number {
  if (rule.selectPolicy === 'Disabled') return current;
  let best = rule.selectPolicy === 'Max' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const p of rule.policies) {
    let added = 0;
    for (const e of events) if (e.delta > 0 && e.t > now - p.periodSeconds) added += e.delta;
    const start = current - added;
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    best = rule.selectPolicy === 'Max' ? Math.max(best, proposed) : Math.min(best, proposed);
  }
  return best;
}

/** Smallest replica count allowed by a rule's policies for scaling down from `current`. */
function scaleDownLimit(
  rule: Hpa['scaleDown'],
  events: readonly Event[],
  now: number,
  current: number,
): number {
  if (rule.selectPolicy === 'Disabled') return current;
  let best = rule.selectPolicy === 'Max' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const p of rule.policies) {
    let removed = 0;
    for (const e of events) if (e.delta < 0 && e.t > now - p.periodSeconds) removed -= e.delta;
    const start = current + removed;
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    best = rule.selectPolicy === 'Max' ? Math.min(best, proposed) : Math.max(best, proposed);
  }
  return best;
}

/** Timed samples in arrival order; entries before `head` are dropped, and compacted now and then. */
class TimedQueue {
  protected readonly ts: number[] = [];
  protected readonly vs: number[] = [];
  protected head = 0;
  protected compact(): void {
    if (this.head <= 1024) return;
    this.ts.splice(0, this.head);
    this.vs.splice(0, this.head);
    this.head = 0;
  }
}

/**
 * The largest (or smallest) value pushed within the last `window` seconds: a monotonic queue, O(1)
 * amortised per push, the same answer as scanning every entry in the window. Exported for tests.
 */
export class SlidingExtreme extends TimedQueue {
  constructor(
    private readonly window: number,
    private readonly largest: boolean,
  ) {
    super();
  }
  /** Adds `v` at time `t` (non-decreasing) and returns the extreme over entries with time ≥ t − window. */
  push(t: number, v: number): number {
    const { ts, vs } = this;
    // Entries that `v` dominates can never be the extreme again.
    while (vs.length > this.head) {
      const last = vs[vs.length - 1] as number;
      if (this.largest ? last > v : last < v) break;
      vs.pop();
      ts.pop();
    }
    ts.push(t);
    vs.push(v);
    while ((ts[this.head] as number) < t - this.window) this.head++;
    this.compact();
    return vs[this.head] as number;
  }
}

/** The utilisation as observed `lag` seconds late: the latest sample at least that old (else the oldest). */
class LaggedMetric extends TimedQueue {
  constructor(private readonly lag: number) {
    super();
  }
  push(t: number, u: number): number {
    const { ts, vs } = this;
    ts.push(t);
    vs.push(u);
    while (ts.length - this.head > 1 && (ts[this.head + 1] as number) <= t - this.lag) this.head++;
    this.compact();
    return vs[this.head] as number;
  }
}

/**
 * Replays `load` (one value per step) through the HPA and reports SLO-violation minutes and replica-hours.
 * `stop`, asked after each step with the totals so far, ends the replay early when it returns true:
 * a search that only needs to know whether a configuration can still beat the best so far skips the
 * rest of a replay that already cannot (the totals never decrease).
 */
export function simulateHpa(
  load: ArrayLike<number>,
  config: HpaConfig,
  options: SimulationOptions,
  stop?: (violationMinutes: number, replicaHours: number) => boolean,
): SimulationResult {
  const hpa = hpaConfigSchema.parse(config);
  const tolerance = {
    up: hpa.scaleUp.tolerance ?? hpa.tolerance,
    down: hpa.scaleDown.tolerance ?? hpa.tolerance,
  };
  const opt = simulationOptionsSchema.parse(options);
  if (hpa.minReplicas > hpa.maxReplicas) throw new RangeError('minReplicas > maxReplicas');
  const step = opt.stepSeconds;
  const sync = Math.min(opt.syncPeriodSeconds, step);
  const syncsPerStep = Math.max(1, Math.round(step / sync));
  const dt = step / syncsPerStep;
  // Scheduled floors, swept in time order (the simulation only moves forward): windows start in
  // order of `fromSeconds` and leave the active set once past `toSeconds`. Linear in the schedule
  // length over the whole replay instead of per sync period.
  const windows = [...hpa.schedule].sort((a, b) => a.fromSeconds - b.fromSeconds);
  let nextWindow = 0;
  const active: typeof windows = [];
  let lastT = Number.NEGATIVE_INFINITY;
  const floorAt = (t: number): number => {
    if (t < lastT) {
      // not expected; restart the sweep to stay correct
      nextWindow = 0;
      active.length = 0;
    }
    lastT = t;
    while (nextWindow < windows.length && (windows[nextWindow]?.fromSeconds ?? 0) <= t) {
      active.push(windows[nextWindow] as (typeof windows)[number]);
      nextWindow++;
    }
    let m = hpa.minReplicas;
    for (let k = 0; k < active.length; k++) {
      const w = active[k] as (typeof windows)[number];
      if (t < w.toSeconds) {
        if (t >= w.fromSeconds) m = Math.max(m, w.minReplicas);
      } else active.splice(k--, 1);
    }
    return Math.min(m, hpa.maxReplicas);
  };
  let replicas = Math.min(hpa.maxReplicas, Math.max(floorAt(0), opt.initialReplicas ?? hpa.minReplicas));
  // Pods' ready times. New pods are appended at t + start-up with t never decreasing, so the array
  // stays sorted: the pods ready at t are a prefix, counted by a pointer that only moves forward
  // (or is cut back with the array), and a scale-down that removes the pods that would be ready last
  // keeps a prefix.
  const podReadyAt: number[] = Array.from({ length: replicas }, () => 0);
  let readyCount = 0;
  const upRecs = new SlidingExtreme(hpa.scaleUp.stabilizationWindowSeconds, false);
  const downRecs = new SlidingExtreme(hpa.scaleDown.stabilizationWindowSeconds, true);
  const events: Event[] = [];
  const metric = new LaggedMetric(opt.metricLagSeconds);
  const out = { replicas: [] as number[], ready: [] as number[] };
  let violationMinutes = 0;
  let replicaSeconds = 0;
  let maxSeen = replicas;
  let scaleEvents = 0;
  let abandoned = false;
  for (let i = 0; i < load.length; i++) {
    const demand = Math.max(0, load[i] ?? 0);
    let minReady = Number.POSITIVE_INFINITY;
    for (let s = 0; s < syncsPerStep; s++) {
      const t = i * step + s * dt;
      while (readyCount < podReadyAt.length && (podReadyAt[readyCount] as number) <= t) readyCount++;
      const ready = readyCount;
      minReady = Math.min(minReady, ready);
      const util = ready > 0 ? demand / (ready * opt.capacityPerPod) : Number.POSITIVE_INFINITY;
      // SLO: load beyond what ready pods serve, for this sync slice.
      if (demand > ready * opt.capacityPerPod) violationMinutes += dt / 60;
      replicaSeconds += replicas * dt;
      // Observed metric: utilisation `metricLagSeconds` ago.
      const observed = wholePercent(metric.push(t, Math.min(util, 1e6)));
      // 1. Raw recommendation.
      const readyNow = Math.max(1, ready);
      let desired = hpaDesiredReplicas(readyNow, observed, hpa.targetUtilization, tolerance);
      if (desired > readyNow && replicas > ready) {
        // Unready pods count as 0% utilisation for a scale-up.
        const conservative = (observed * readyNow) / replicas;
        const ratio = conservative / hpa.targetUtilization;
        desired = ratio <= 1 + tolerance.up ? replicas : Math.ceil(replicas * ratio);
      } else if (desired === readyNow) desired = replicas;
      // 2. Stabilisation.
      const upRec = upRecs.push(t, desired);
      const downRec = downRecs.push(t, desired);
      let target = replicas;
      if (desired > replicas) target = Math.max(replicas, upRec);
      else if (desired < replicas) target = Math.min(replicas, downRec);
      // 3. Rate limits.
      while (events.length > 0 && (events[0]?.t ?? 0) < t - 1800) events.shift();
      if (target > replicas) target = Math.min(target, scaleUpLimit(hpa.scaleUp, events, t, replicas));
      else if (target < replicas)
        target = Math.max(target, scaleDownLimit(hpa.scaleDown, events, t, replicas));
      // 4. Bounds (with the scheduled floor).
      target = Math.min(hpa.maxReplicas, Math.max(floorAt(t), target));
      if (target !== replicas) {
        events.push({ t, delta: target - replicas });
        scaleEvents++;
        if (target > replicas)
          for (let k = replicas; k < target; k++) podReadyAt.push(t + opt.podStartupSeconds);
        else {
          podReadyAt.length = target;
          readyCount = Math.min(readyCount, target);
        }
        replicas = target;
        maxSeen = Math.max(maxSeen, replicas);
      }
    }
    out.replicas.push(replicas);
    out.ready.push(Number.isFinite(minReady) ? minReady : 0);
    if (stop?.(violationMinutes, replicaSeconds / 3600)) {
      abandoned = true;
      break;
    }
  }
  return {
    replicas: out.replicas,
    ready: out.ready,
    violationMinutes,
    replicaHours: replicaSeconds / 3600,
    maxReplicas: maxSeen,
    scaleEvents,
    abandoned,
  };
}
