/**
 * Streaming anomaly detector: constant memory (at most ≈ 180 KB per series with the defaults, 30 KB of
 * it for the coarse second opinion) and bounded work per point; the score of point t uses only points ≤ t.
 * One configuration for every kind of series.
 *
 * Method:
 * 1. Three predictors of the next value, each with its own robust residual scale (winsorised,
 *    exponentially weighted mean absolute residual, floored at 1% of the series' own spread):
 *    a fast level (spikes, jumps, level shifts), the long-term level (drifts, excursions) and, when
 *    the sampling interval divides a day, the value at the same time yesterday (daily seasonality).
 * 2. A shape view: the distance from the latest subsequence (8 segment means of 4 points) to its
 *    nearest neighbour among the last 1024 subsequences (a streaming left discord), for patterns
 *    never seen before (a missing daily peak, a new burst shape).
 *    It also qualifies the other views: a point whose latest pattern repeats one seen before almost
 *    exactly (a periodic job's spike on a quiet series), or repeats an alerted pattern on schedule
 *    (the same gap as between its last two occurrences: a cron job in a noisy series), counts half
 *    in each.
 * 3. Each residual becomes a unitless surprise z = |r| / scale, plus a smoothed surprise (short
 *    exponentially weighted mean of the capped z) for collective anomalies (noise changes,
 *    flat-lines, sustained small deviations).
 * 4. Self-calibration by novelty: each surprise is divided by its own slowly decaying record (the
 *    largest surprise seen recently, at least a fixed minimum), so a series that is always spiky
 *    does not alarm on its usual spikes, and one threshold means the same on every series.
 *    The strongest ratio r gives the score r / (1 + r): 0.5 means "as surprising as the worst
 *    recent event", 1 means far beyond it.
 * 5. A stuck view: a run of identical values far longer than any seen before (dead exporter, a
 *    rate at exactly zero) alerts once, which the adaptive views above can miss.
 * 6. Alert hygiene: after an alert, repeats of the same event are damped (a decaying refractory
 *    level and a short debounce), since only the first detection of an incident is actionable.
 * 7. A coarse second opinion: the same detector on the means of blocks of 4 points, its shape memory
 *    spanning the same time as this one's. When it alerts (a new record at the slower scale), the
 *    point that completes the block gets a small bonus; while its latest block showed nothing
 *    unusual at all, scores get a smaller penalty. It decides the close calls: at the edge of the
 *    usual noise (score ≈ 0.5) an event that is also novel at the slower scale is more often a real
 *    incident than one that is not, and one the slower scale does not see at all less often.
 */
import { z } from 'zod';

export const anomalyDetectorConfigSchema = z
  .object({
    /** Smoothing of the fast level (1 = last value). */
    fastAlpha: z.number().gt(0).max(1).default(0.8),
    /** Smoothing of the long-term level and of every residual scale. */
    slowAlpha: z.number().gt(0).lt(1).default(0.005),
    /** Smoothing of the smoothed surprise. */
    smoothAlpha: z.number().gt(0).lt(1).default(0.1),
    /** Cap on a single surprise when smoothing, in scale units. */
    smoothCap: z.number().gt(0).default(6),
    /** Winsorisation of residuals when updating scales, in scale units. */
    clip: z.number().gt(0).default(4),
    /** Per-point decay of the novelty records. */
    recordDecay: z.number().gt(0).lt(1).default(0.9999),
    /** Smallest record (scale units): surprises below it never look novel. */
    minRecord: z.number().gt(0).default(6),
    /** Observations a view needs before it may raise the score. */
    viewWarmup: z.number().int().min(1).default(100),
    /** Score at which an alert is considered raised. */
    alertLevel: z.number().gt(0).max(1).default(0.5),
    /** Per-point decay of the refractory level after an alert. */
    refractoryDecay: z.number().min(0).lt(1).default(0.999),
    /** Points after an alert during which scores are damped (debounce). */
    debounce: z.number().int().min(0).default(3),
    /** Shape view: segments per subsequence (0 disables), points averaged per segment, subsequences kept. */
    shapeSegments: z.number().int().min(0).max(64).default(8),
    shapeSegmentPoints: z.number().int().min(1).max(64).default(4),
    shapeHistory: z.number().int().min(64).max(16_384).default(1024),
    /**
     * A spike inside a repeated pattern is not news: when the latest subsequence's distance to its
     * nearest neighbour in the shape memory is below `shapeRepeatGate` × its usual distance (the shape
     * view's surprise), the step, level and seasonal ratios are halved. A cron job's spike every 100
     * minutes on a quiet series repeats an earlier subsequence exactly, yet without this it scores 0.5
     * or more every time, since each view's record decays between the spikes (at 100 points and not a
     * day, the seasonal view sees it too). Small on purpose, so it means "an exact repeat": at 0.3
     * noise alone crosses it early in a series (the usual distance is inflated while the memory
     * fills), and at 1 the first point of a real jump (a quarter of the last segment) often still
     * looks familiar, so 6-sigma spikes on a noisy daily series are missed more often. A repeat in
     * noise is not caught by it: its distance is the noise's, which is the usual one. 0 disables it.
     */
    shapeRepeatGate: z.number().min(0).default(0.1),
    /**
     * A job that runs on a schedule (a cron spike every hour) is not news once it is seen to recur
     * on time. The shapes of the last `periodicMemory` alerts are kept (level removed, so a spike at
     * another time of day still matches); when the latest subsequence comes within
     * `periodicMatch` × the usual nearest-neighbour distance of one of them, and this occurrence
     * follows the previous one after the same interval as the one before (within 10% + 2 points),
     * the step, level and seasonal ratios are halved, as for an exact repeat. The first two
     * occurrences after an alert always count in full; a repeat at irregular times is damped only
     * where two successive gaps happen to agree. 0 disables it.
     */
    periodicMemory: z.number().int().min(0).max(256).default(16),
    periodicMatch: z.number().gt(0).default(0.7),
    /**
     * Weekly seasonality: when a week of samples fits the buffer, the seasonal surprise is the smaller
     * of the surprises against yesterday and against the same time last week, so a Monday is not
     * compared only with a Sunday.
     */
    weekly: z.boolean().default(true),
    /**
     * Days compared at the same time of day (1 = yesterday only). With 2, a point is a seasonal anomaly
     * only if it is unlike yesterday, the day before and (with `weekly`) last week, so one abnormal
     * reference day does not make a normal day look anomalous.
     */
    seasonDays: z.number().int().min(1).max(6).default(2),
    /**
     * On a seasonal series, the long-term-level surprise is the smaller of itself and the seasonal
     * surprise: a point far from the mean but like the same time on earlier days is not a level anomaly.
     */
    levelSeasonGate: z.boolean().default(true),
    /**
     * Stuck view: a run of identical values (a dead exporter repeating its last sample, a rate at
     * exactly zero) longer than `stuckFactor` × the longest run seen before (a decaying record) and
     * at least `stuckMinRun` points scores `stuckRatio` / (1 + `stuckRatio`), once per run; a run
     * that began before the warm-up is the series' normal. `stuckFactor: 0` disables it.
     * The other views adapt to a sustained deviation within hours, and a drop to zero at night is
     * small against a bursty series' record, so without it a total outage can pass unflagged.
     */
    stuckFactor: z.number().min(0).default(4),
    stuckMinRun: z.number().int().min(2).default(30),
    /**
     * The stuck view applies only to series that rarely repeat a value: at most this share of recent
     * points equal to their predecessor when the run began. A sparse series (an error ratio at zero
     * between blips, a replica count) is flat most of the time, and a long quiet stretch is not an
     * outage.
     */
    stuckMaxRepeats: z.number().min(0).max(1).default(0.2),
    stuckRatio: z.number().gt(0).default(2),
    /**
     * Coarse second opinion: the same detector runs on the means of successive blocks of
     * `coarseFactor` points (a slower sampling of the same series), and when it raises an alert the
     * score of the point that completes the block gets `coarseBonus` added. An event that is
     * surprising at two time scales is more likely an incident than one at the edge of the usual
     * noise of one. `coarseDepth` levels are nested (the coarse detector has its own coarse one);
     * 0 disables it.
     */
    coarseFactor: z.number().int().min(2).max(64).default(4),
    coarseBonus: z.number().min(0).max(1).default(0.06),
    /**
     * The other side of the same opinion: while the coarse detector's latest block scored below
     * `coarseQuiet` (nothing unusual at the slower scale), scores are lowered by `coarsePenalty`. An
     * edge case at one time scale that the slower one does not see at all is less often an incident.
     * 0 disables it.
     */
    coarseQuiet: z.number().min(0).max(1).default(0.1),
    coarsePenalty: z.number().min(0).max(1).default(0.03),
    coarseDepth: z.number().int().min(0).max(4).default(1),
  })
  .strict();

export type AnomalyDetectorConfig = z.input<typeof anomalyDetectorConfigSchema>;

/**
 * Why the last point scored what it did: the view with the strongest surprise. `step`: unlike the last
 * few points (a spike or a jump); `level`: far from the long-term level (on a seasonal series, also
 * unlike earlier days); `seasonal`: unlike the same time yesterday, the day before and last week;
 * `shape`: a recent pattern unlike any in the shape memory; `stuck`: one value repeated far longer
 * than ever before. `sustained`: from the smoothed surprise (a run of moderately unusual points: a
 * noise change, a drift, a small shift) rather than one point. `slowerScale`: the coarse second
 * opinion also alerted at this point.
 */
export interface AnomalyReason {
  readonly view: 'step' | 'level' | 'seasonal' | 'shape' | 'stuck';
  readonly sustained: boolean;
  readonly slowerScale: boolean;
}

/** A short phrase for an operator: "sudden jump or spike", "unlike the same time on previous days", … */
export function describeAnomalyReason(reason: AnomalyReason): string {
  const text = {
    step: reason.sustained ? 'unusual short-term variation' : 'sudden jump or spike',
    level: reason.sustained ? 'sustained shift from its usual level' : 'far from its usual level',
    seasonal: reason.sustained
      ? 'sustained break of its daily or weekly pattern'
      : 'unlike the same time on previous days',
    shape: 'a pattern not seen recently',
    stuck: 'stuck at one value far longer than ever before',
  }[reason.view];
  return reason.slowerScale ? `${text}, also at a slower time scale` : text;
}

export interface AnomalyDetector {
  /** Feeds the next point and returns its anomaly score in [0, 1]. Non-finite values score 0. */
  update(value: number, timestampMs?: number): number;
  /** Why the last point scored above 0 (undefined when it scored 0). */
  readonly reason: AnomalyReason | undefined;
  /** Number of points seen. */
  readonly count: number;
}

const MIN_OBS = 20;
const DAY_MS = 86_400_000;
const MAX_PERIOD = 2016;
const MAX_WEEK = 2016;

/** Winsorised exponentially weighted mean absolute residual. */
class RobustScale {
  scale = 0;
  n = 0;
  constructor(
    private readonly alpha: number,
    private readonly clip: number,
  ) {}
  /** Returns |r| / max(scale, floor) before updating (0 while too few observations), then updates. */
  surprise(r: number, floor: number): number {
    const s = Math.max(this.scale, floor);
    const abs = Math.abs(r);
    const z = this.n >= MIN_OBS && s > 0 ? abs / s : 0;
    const a = Math.max(this.alpha, 1 / (this.n + 1));
    const c = this.scale > 0 ? Math.min(abs, this.clip * this.scale) : abs;
    this.scale += a * (c - this.scale);
    this.n++;
    return z;
  }
}

/** A surprise view: raw and smoothed surprise, each calibrated against its own decaying record. */
class View {
  private smooth = 0;
  private record = 0;
  private smoothRecord = 0;
  private seen = 0;
  /** Whether the last ratio came from the smoothed surprise (a sustained deviation) rather than the raw one. */
  sustained = false;
  constructor(
    private readonly cfg: z.output<typeof anomalyDetectorConfigSchema>,
    /** What this view's surprise means, for `reason`. */
    readonly kind: AnomalyReason['view'],
  ) {}
  /** Returns the larger novelty ratio of the raw and smoothed surprise. */
  ratio(zv: number): number {
    const c = this.cfg;
    this.smooth += c.smoothAlpha * (Math.min(zv, c.smoothCap) - this.smooth);
    const r1 = zv / Math.max(this.record, c.minRecord);
    const r2 = this.smooth / Math.max(this.smoothRecord, c.minRecord * c.smoothAlpha * 3);
    this.record = Math.max(this.record * c.recordDecay, zv);
    this.smoothRecord = Math.max(this.smoothRecord * c.recordDecay, this.smooth);
    this.seen++;
    this.sustained = r2 > r1;
    return this.seen < c.viewWarmup ? 0 : Math.max(r1, r2);
  }
}

/**
 * Shape novelty (a streaming, left-only discord): the distance from the latest subsequence (piecewise
 * aggregate of the last segments × segmentPoints values) to its nearest neighbour among the last
 * `history` subsequences, excluding overlapping (trivial) matches. Fixed memory.
 *
 * The exact nearest neighbour is found with little work per point. Stored subsequences are kept in
 * order of their segment sum, and the search walks outwards from the current sum, one side and then
 * the other: since Σ(a−b)² ≥ (Σa − Σb)² / m, it stops on each side at the first candidate whose sum
 * is too far to beat the best so far. Each remaining candidate is skipped when the same bound on each
 * half of the segments rules it out, and a distance is abandoned once it passes the best. Exported for
 * tests.
 */
export class ShapeMemory {
  private readonly ring: Float64Array;
  /** Per slot: sums of the first and the second half of the segments, and the insertion index. */
  private readonly sumsA: Float64Array;
  private readonly sumsB: Float64Array;
  private readonly inserted: Float64Array;
  /** Slots in increasing order of their segment sum, and those sums. */
  private readonly order: Int32Array;
  private readonly keys: Float64Array;
  private size = 0;
  private readonly half: number;
  private readonly recent: Float64Array;
  private readonly cur: Float64Array;
  private stored = 0;
  private seen = 0;
  constructor(
    private readonly segments: number,
    private readonly segPoints: number,
    private readonly history: number,
  ) {
    this.ring = new Float64Array(history * segments);
    this.sumsA = new Float64Array(history);
    this.sumsB = new Float64Array(history);
    this.inserted = new Float64Array(history);
    this.order = new Int32Array(history);
    this.keys = new Float64Array(history);
    this.half = Math.floor(segments / 2);
    this.recent = new Float64Array(segments * segPoints);
    this.cur = new Float64Array(segments);
  }
  /** First position in the order whose key is ≥ `key` (> `key` when `after`). */
  private bound(key: number, after: boolean): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid] as number;
      if (k < key || (after && k === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Squared distance from the current subsequence to stored subsequence `slot`, abandoned at `best`. */
  private dist(slot: number, best: number): number {
    const m = this.segments;
    const cur = this.cur;
    const ring = this.ring;
    const off = slot * m;
    let d = 0;
    for (let j = 0; j < m && d < best; j++) {
      const e = (cur[j] as number) - (ring[off + j] as number);
      d += e * e;
    }
    return d;
  }
  /** The latest subsequence (segment means); current after `push` returned a number. */
  get latest(): Float64Array {
    return this.cur;
  }
  /** Adds a value; returns the RMS nearest-neighbour distance of the latest subsequence, or NaN. */
  push(x: number): number {
    const m = this.segments;
    const w = m * this.segPoints;
    const h = this.history;
    this.recent[this.seen % w] = x;
    this.seen++;
    if (this.seen < w) return Number.NaN;
    let ca = 0;
    let cb = 0;
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let q = 0; q < this.segPoints; q++)
        sum += this.recent[(this.seen - w + j * this.segPoints + q) % w] ?? 0;
      const v = sum / this.segPoints;
      this.cur[j] = v;
      if (j < this.half) ca += v;
      else cb += v;
    }
    const sc = ca + cb;
    // Stored subsequences that do not overlap the current one: insertion indices up to `newest`
    // (every stored one is recent enough: the ring holds the last `history`).
    const usable = Math.min(this.stored, h) - w;
    let best = Number.POSITIVE_INFINITY;
    if (usable > 0) {
      const newest = this.stored - w - 1;
      // Bounds are compared with a relative margin far above rounding, so the result is the exact
      // minimum of the distances.
      const margin = 1 + 1e-9;
      const wa = this.half > 0 ? 1 / this.half : 0;
      const wb = 1 / (m - this.half);
      const { sumsA, sumsB, inserted, order, keys } = this;
      const size = this.size;
      const at = this.bound(sc, false);
      // Each side in turn, outwards from the current sum: on a side, the first candidate whose sum
      // is too far to beat the best ends that side.
      for (let side = 0; side < 2; side++) {
        const step = side === 0 ? -1 : 1;
        for (let i = side === 0 ? at - 1 : at; i >= 0 && i < size; i += step) {
          const ds = sc - (keys[i] as number);
          if (ds * ds >= best * m * margin) break;
          const slot = order[i] as number;
          if ((inserted[slot] as number) > newest) continue;
          const da = ca - (sumsA[slot] as number);
          const db = cb - (sumsB[slot] as number);
          if (da * da * wa + db * db * wb >= best * margin) continue;
          best = Math.min(best, this.dist(slot, best));
        }
      }
    }
    const slot = this.stored % h;
    // Equal sums stay in insertion order (a new one goes after them), so the subsequence evicted, the
    // oldest, is the first of its sum: a flat series does not make this a linear scan.
    if (this.stored >= h) {
      let pos = this.bound((this.sumsA[slot] as number) + (this.sumsB[slot] as number), false);
      while (this.order[pos] !== slot) pos++;
      this.order.copyWithin(pos, pos + 1, this.size);
      this.keys.copyWithin(pos, pos + 1, this.size);
      this.size--;
    }
    const pos = this.bound(sc, true);
    this.order.copyWithin(pos + 1, pos, this.size);
    this.keys.copyWithin(pos + 1, pos, this.size);
    this.order[pos] = slot;
    this.keys[pos] = sc;
    this.size++;
    this.ring.set(this.cur, slot * m);
    this.sumsA[slot] = ca;
    this.sumsB[slot] = cb;
    this.inserted[slot] = this.stored;
    this.stored++;
    return usable > 0 ? Math.sqrt(best / m) : Number.NaN;
  }
}

/**
 * Shapes of recent alerts, each with when it last recurred and after what interval, to tell a job
 * that runs on a schedule from an incident. Shapes are stored with their mean removed. Fixed memory.
 */
class AlertedShapes {
  private readonly shapes: Float64Array;
  /** Per stored shape: the last point at which it matched. */
  private readonly lastSeen: Float64Array;
  private readonly interval: Float64Array;
  private readonly onTime: Uint8Array;
  private count = 0;
  constructor(
    private readonly size: number,
    private readonly m: number,
    /** Matches at most this many points apart are one occurrence. */
    private readonly span: number,
  ) {
    this.shapes = new Float64Array(size * m);
    this.lastSeen = new Float64Array(size);
    this.interval = new Float64Array(size);
    this.onTime = new Uint8Array(size);
  }
  private static mean(v: Float64Array): number {
    let s = 0;
    for (let j = 0; j < v.length; j++) s += v[j] as number;
    return s / v.length;
  }
  /** Remembers the shape of an alert raised at point `t`. */
  remember(shape: Float64Array, t: number): void {
    const slot = this.count % this.size;
    const mean = AlertedShapes.mean(shape);
    for (let j = 0; j < this.m; j++) this.shapes[slot * this.m + j] = (shape[j] as number) - mean;
    this.lastSeen[slot] = t;
    this.interval[slot] = 0;
    this.onTime[slot] = 0;
    this.count++;
  }
  /**
   * Whether `shape` at point `t` is a stored alert's shape (within `radius`, RMS per segment)
   * recurring on schedule: its quiet gap since the previous occurrence as long as the gap before
   * that one (within 10% + 2 points). Matches closer than `span` are one occurrence and keep its
   * verdict.
   */
  onSchedule(shape: Float64Array, t: number, radius: number): boolean {
    const m = this.m;
    const limit = radius * radius * m;
    const mean = AlertedShapes.mean(shape);
    let scheduled = false;
    for (let a = 0; a < Math.min(this.count, this.size); a++) {
      let d = 0;
      for (let j = 0; j < m && d < limit; j++) {
        const e = (shape[j] as number) - mean - (this.shapes[a * m + j] as number);
        d += e * e;
      }
      if (d >= limit) continue;
      const gap = t - (this.lastSeen[a] as number);
      if (gap > this.span) {
        const previous = this.interval[a] as number;
        this.onTime[a] = previous > 0 && Math.abs(gap - previous) <= 0.1 * previous + 2 ? 1 : 0;
        this.interval[a] = gap;
      }
      this.lastSeen[a] = t;
      if (this.onTime[a]) scheduled = true;
    }
    return scheduled;
  }
}

export function createAnomalyDetector(config: AnomalyDetectorConfig = {}): AnomalyDetector {
  const cfg = anomalyDetectorConfigSchema.parse(config);
  let n = 0;
  let fast = 0;
  let slow = 0;
  let lastTs = Number.NaN;
  let firstTs = Number.NaN;
  let stepMs = 0;
  let period = 0;
  let dayBuf: Float64Array | undefined;
  let weekBuf: Float64Array | undefined;
  const spread = new RobustScale(cfg.slowAlpha, Number.POSITIVE_INFINITY);
  const stepScale = new RobustScale(cfg.slowAlpha, cfg.clip);
  const levelScale = new RobustScale(cfg.slowAlpha, cfg.clip);
  const dayScales = Array.from({ length: cfg.seasonDays }, () => new RobustScale(cfg.slowAlpha, cfg.clip));
  const stepView = new View(cfg, 'step');
  const levelView = new View(cfg, 'level');
  const dayView = new View(cfg, 'seasonal');
  const weekScale = new RobustScale(cfg.slowAlpha, cfg.clip);
  const shapeView = new View(cfg, 'shape');
  const shapeScale = new RobustScale(cfg.slowAlpha, cfg.clip);
  const shapes =
    cfg.shapeSegments > 0
      ? new ShapeMemory(cfg.shapeSegments, cfg.shapeSegmentPoints, cfg.shapeHistory)
      : undefined;
  const coarse =
    cfg.coarseDepth > 0 && cfg.coarseBonus > 0
      ? createAnomalyDetector({
          ...cfg,
          coarseDepth: cfg.coarseDepth - 1,
          // The same span of time as this detector's shape memory, at the slower sampling.
          shapeHistory: Math.max(64, Math.round(cfg.shapeHistory / cfg.coarseFactor)),
        })
      : undefined;
  const alertedShapes =
    shapes !== undefined && cfg.periodicMemory > 0
      ? new AlertedShapes(cfg.periodicMemory, cfg.shapeSegments, 2 * cfg.shapeSegments)
      : undefined;
  let blockSum = 0;
  let blockCount = 0;
  // Whether the coarse detector, past its warm-up, saw nothing unusual in its latest block.
  let coarseQuiet = false;
  let refractory = 0;
  let lastAlert = Number.NEGATIVE_INFINITY;
  // Stuck view: length of the current run of identical values and the (decaying) longest before it.
  let prevX = Number.NaN;
  let run = 0;
  let runRecord = 0;
  let stuckFired = false;
  let repeats = 0;
  let repeatsAtStart = 0;

  /**
   * Position of the current point in sampling steps: from its timestamp when there is one, so that
   * gaps and duplicated rows do not shift the daily and weekly phase; otherwise the point count.
   */
  function tick(timed: boolean): number {
    return timed && stepMs > 0 ? Math.round((lastTs - firstTs) / stepMs) : n;
  }

  /** Learns the sampling interval from the first points; daily period if it divides a day. */
  function observeTime(ts: number): void {
    if (!Number.isNaN(lastTs) && n < MIN_OBS) {
      const d = ts - lastTs;
      if (d > 0 && (stepMs === 0 || d < stepMs)) stepMs = d;
    }
    lastTs = ts;
    if (Number.isNaN(firstTs)) firstTs = ts;
    if (n === MIN_OBS && stepMs > 0) {
      const p = Math.round(DAY_MS / stepMs);
      if (p >= 4 && p <= MAX_PERIOD && Math.abs(p * stepMs - DAY_MS) < stepMs / 2) {
        period = p;
        dayBuf = new Float64Array(cfg.seasonDays * p).fill(Number.NaN);
        if (cfg.weekly && 7 * p <= MAX_WEEK) weekBuf = new Float64Array(7 * p).fill(Number.NaN);
      }
    }
  }

  // The strongest ratio of the point being scored and its view (undefined: the stuck view).
  let best = 0;
  let top: View | undefined;
  function offer(view: View, ratio: number): void {
    if (ratio > best) {
      best = ratio;
      top = view;
    }
  }

  // Why the last point scored (built on demand from primitives: no allocation per point).
  let lastView: AnomalyReason['view'] | undefined;
  let lastSustained = false;
  let lastSlower = false;

  return {
    get count() {
      return n;
    },
    get reason(): AnomalyReason | undefined {
      return lastView === undefined
        ? undefined
        : { view: lastView, sustained: lastSustained, slowerScale: lastSlower };
    },
    update(value: number, timestampMs?: number): number {
      lastView = undefined;
      const timed = timestampMs !== undefined && Number.isFinite(timestampMs);
      if (timed) observeTime(timestampMs);
      if (!Number.isFinite(value)) return 0;
      const x = value;
      let bonus = 0;
      if (coarse !== undefined) {
        blockSum += x;
        blockCount++;
        if (blockCount === cfg.coarseFactor) {
          const coarseScore = coarse.update(blockSum / blockCount, timestampMs);
          if (coarseScore >= cfg.alertLevel) bonus = cfg.coarseBonus;
          coarseQuiet = coarse.count > cfg.viewWarmup + 1 && coarseScore < cfg.coarseQuiet;
          blockSum = 0;
          blockCount = 0;
        }
      }
      if (n === 0) {
        fast = slow = x;
        n = 1;
        return 0;
      }
      const floor = 0.01 * spread.scale + 1e-12;
      const zStep = stepScale.surprise(x - fast, floor);
      const zLevel = levelScale.surprise(x - slow, floor);
      // Seasonal surprise: unlike each of the last days and last week at this time of day.
      let zs = Number.NaN;
      if (dayBuf !== undefined && period > 0) {
        const k = tick(timed);
        const len = dayBuf.length;
        const idx = ((k % len) + len) % len;
        for (let d = 1; d <= cfg.seasonDays; d++) {
          const ref = dayBuf[(idx - d * period + len) % len] ?? Number.NaN;
          if (Number.isNaN(ref)) continue;
          const z = (dayScales[d - 1] as RobustScale).surprise(x - ref, floor);
          zs = Number.isNaN(zs) ? z : Math.min(zs, z);
        }
        dayBuf[idx] = x;
        if (weekBuf !== undefined) {
          const w = ((k % weekBuf.length) + weekBuf.length) % weekBuf.length;
          const lastWeek = weekBuf[w] ?? Number.NaN;
          if (!Number.isNaN(lastWeek)) {
            const zw = weekScale.surprise(x - lastWeek, floor);
            zs = Number.isNaN(zs) ? zw : Math.min(zs, zw);
          }
          weekBuf[w] = x;
        }
      }
      // The shape view first: its surprise also tells whether the current pattern repeats an old one.
      let zShape = Number.NaN;
      if (shapes !== undefined) {
        const d = shapes.push(x);
        if (!Number.isNaN(d)) zShape = shapeScale.surprise(d, floor);
      }
      // An exact repeat of a stored pattern, or an alerted pattern recurring on schedule, counts half.
      const scheduled =
        alertedShapes !== undefined &&
        shapes !== undefined &&
        !Number.isNaN(zShape) &&
        alertedShapes.onSchedule(shapes.latest, n, cfg.periodicMatch * Math.max(shapeScale.scale, floor));
      const repeat = scheduled || zShape < cfg.shapeRepeatGate;
      const repeatFactor = repeat ? 0.5 : 1;
      best = stepView.ratio(zStep) * repeatFactor;
      top = stepView;
      // Away from the long-term level counts only if also unlike the same time on earlier days: on a
      // seasonal series every daily peak is far from the mean.
      const gated = cfg.levelSeasonGate && !Number.isNaN(zs);
      offer(levelView, levelView.ratio(gated ? Math.min(zLevel, zs) : zLevel) * repeatFactor);
      if (!Number.isNaN(zs)) offer(dayView, dayView.ratio(zs) * repeatFactor);
      if (!Number.isNaN(zShape)) offer(shapeView, shapeView.ratio(zShape));
      if (cfg.stuckFactor > 0) {
        if (x === prevX) {
          if (run === 0) repeatsAtStart = repeats;
          run++;
        } else {
          runRecord = Math.max(runRecord, run);
          run = 0;
        }
        repeats += Math.max(cfg.slowAlpha, 1 / (n + 1)) * ((x === prevX ? 1 : 0) - repeats);
        runRecord *= cfg.recordDecay;
        prevX = x;
        // Once per run, when it becomes too long; only a run that started after the warm-up (one
        // flat since the start is the series' normal).
        if (
          !stuckFired &&
          n - run >= cfg.viewWarmup &&
          repeatsAtStart <= cfg.stuckMaxRepeats &&
          run + 1 >= Math.max(cfg.stuckFactor * (runRecord + 1), cfg.stuckMinRun)
        ) {
          if (cfg.stuckRatio > best) {
            best = cfg.stuckRatio;
            top = undefined;
          }
          stuckFired = true;
        }
        if (run === 0) stuckFired = false;
      }
      spread.surprise(x - slow, 0);
      fast += cfg.fastAlpha * (x - fast);
      slow += Math.max(cfg.slowAlpha, 1 / (n + 1)) * (x - slow);
      n++;

      let score = best / (1 + best);
      if (n - lastAlert < cfg.debounce) score *= 0.5;
      else if (score >= cfg.alertLevel) lastAlert = n;
      if (score <= refractory) score *= 0.5;
      if (score >= cfg.alertLevel) refractory = Math.max(refractory, score);
      refractory *= cfg.refractoryDecay;
      const penalty = bonus === 0 && coarseQuiet ? cfg.coarsePenalty : 0;
      const final = Math.max(0, Math.min(1, score + bonus - penalty));
      if (
        alertedShapes !== undefined &&
        shapes !== undefined &&
        !Number.isNaN(zShape) &&
        final >= cfg.alertLevel
      )
        alertedShapes.remember(shapes.latest, n);
      if (final > 0) {
        lastView = top?.kind ?? 'stuck';
        lastSustained = top?.sustained ?? false;
        lastSlower = bonus > 0;
      }
      return final;
    },
  };
}
