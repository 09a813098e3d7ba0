/**
 * Cost anomaly detection on daily cost per service: spikes, new spend and step changes, each with
 * its drivers (which usage types moved, by contribution to the change).
 *
 * For each service and day, the baseline is the median of the previous `window` days (robust to
 * earlier anomalies) and the spread their median absolute deviation (floored at a fraction of the
 * baseline, so a perfectly flat history does not make every cent an anomaly):
 * - new spend: no spend in the whole window, now above `minAmount`;
 * - spike: today beyond baseline + `k` × spread and above `minAmount` of extra spend, and (with
 *   `weekly`, once two earlier same weekdays exist) also beyond the band of the same weekday in up to
 *   the last four weeks: a weekly batch job's Monday, or weekend-only spend, is the service's normal;
 * - step change: the last `stepDays` days all beyond that band in the same direction (a new level),
 *   and with `weekly` each also beyond its own weekday's band (a weekly shutdown is not a new level).
 */
import { z } from 'zod';

export const costRowSchema = z.object({
  /** Day as YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  service: z.string().min(1),
  usageType: z.string().default('(total)'),
  cost: z.number().finite(),
});

export type CostRow = z.input<typeof costRowSchema>;

export const costAnomalyOptionsSchema = z
  .object({
    window: z.number().int().min(3).default(14),
    k: z.number().gt(0).default(4),
    minAmount: z.number().min(0).default(1),
    /** Relative floor of the spread (fraction of the baseline). */
    minRelativeSpread: z.number().min(0).default(0.05),
    stepDays: z.number().int().min(2).default(3),
    /** Compare each day also with the same weekday in earlier weeks (spikes and step changes). */
    weekly: z.boolean().default(true),
  })
  .strict();

export type CostAnomalyOptions = z.input<typeof costAnomalyOptionsSchema>;

export interface CostDriver {
  readonly usageType: string;
  readonly baseline: number;
  readonly actual: number;
  readonly delta: number;
  /** Share of the service's change explained by this usage type. */
  readonly share: number;
}

export interface CostAnomaly {
  readonly date: string;
  readonly service: string;
  readonly kind: 'spike' | 'new_spend' | 'step_change';
  readonly actual: number;
  readonly baseline: number;
  readonly delta: number;
  /** Robust z-score of the day against its baseline. */
  readonly score: number;
  readonly drivers: CostDriver[];
}

function median(v: number[]): number {
  if (v.length === 0) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : 0.5 * ((s[m - 1] ?? 0) + (s[m] ?? 0));
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function detectCostAnomalies(
  rows: readonly CostRow[],
  options: CostAnomalyOptions = {},
): CostAnomaly[] {
  const opt = costAnomalyOptionsSchema.parse(options);
  const parsed = rows.map((r) => costRowSchema.parse(r));
  if (parsed.length === 0) return [];
  const days = [...new Set(parsed.map((r) => r.date))].sort();
  const first = days[0] ?? '';
  const last = days[days.length - 1] ?? '';
  const allDays: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) allDays.push(d);
  const dayIndex = new Map(allDays.map((d, i) => [d, i]));
  // service → usage type → daily cost (missing days are zero spend)
  const byService = new Map<string, Map<string, Float64Array>>();
  for (const r of parsed) {
    let m = byService.get(r.service);
    if (!m) {
      m = new Map();
      byService.set(r.service, m);
    }
    let a = m.get(r.usageType);
    if (!a) {
      a = new Float64Array(allDays.length);
      m.set(r.usageType, a);
    }
    const i = dayIndex.get(r.date) ?? 0;
    a[i] = (a[i] ?? 0) + r.cost;
  }
  const out: CostAnomaly[] = [];
  for (const [service, usage] of byService) {
    const total = new Float64Array(allDays.length);
    for (const a of usage.values())
      for (let i = 0; i < a.length; i++) total[i] = (total[i] ?? 0) + (a[i] ?? 0);
    /** Median and robust spread of reference days (MAD, floored at a fraction of the median). */
    const bandOf = (ref: number[]) => {
      const base = median(ref);
      const mad = median(ref.map((v) => Math.abs(v - base))) * 1.4826;
      return { base, spread: Math.max(mad, opt.minRelativeSpread * Math.abs(base), 1e-9) };
    };
    const band = (i: number) => {
      const past = Array.from(total.subarray(i - opt.window, i));
      return { ...bandOf(past), past };
    };
    // The same weekday in up to the last four weeks, when there are at least two.
    const weekBand = (i: number) => {
      const same = [7, 14, 21, 28].filter((d) => i - d >= 0).map((d) => total[i - d] ?? 0);
      return same.length < 2 ? undefined : bandOf(same);
    };
    let regimeUntil = -1;
    let lastFlagged = -2;
    for (let i = opt.window; i < allDays.length; i++) {
      const { base, spread, past } = band(i);
      const actual = total[i] ?? 0;
      const score = (actual - base) / spread;
      let kind: CostAnomaly['kind'] | undefined;
      // Step change: the last stepDays days all out of the band of the window before them, same sign.
      if (i >= opt.window + opt.stepDays - 1 && i > regimeUntil) {
        const s0 = i - opt.stepDays + 1;
        const ref = band(s0);
        const zs = Array.from(
          { length: opt.stepDays },
          (_, q) => ((total[s0 + q] ?? 0) - ref.base) / ref.spread,
        );
        const up = zs.every((z) => z > opt.k);
        // With `weekly`, each of those days must also be out of its own weekday's band, same side:
        // a Friday-to-Sunday shutdown every week is not a new level.
        const weekdaysAgree = (q: number) => {
          const week = opt.weekly ? weekBand(s0 + q) : undefined;
          if (week === undefined) return true;
          const z = ((total[s0 + q] ?? 0) - week.base) / week.spread;
          return up ? z > opt.k : z < -opt.k;
        };
        if (
          (up || zs.every((z) => z < -opt.k)) &&
          Math.abs(actual - ref.base) > opt.minAmount &&
          zs.every((_, q) => weekdaysAgree(q))
        ) {
          kind = 'step_change';
          regimeUntil = i + opt.window;
        }
      }
      // Above the band of the recent days and, with `weekly`, of the same weekday's: an unusual day.
      const week = opt.weekly ? weekBand(i) : undefined;
      const high = score > opt.k && (week === undefined || (actual - week.base) / week.spread > opt.k);
      if (!kind && i > regimeUntil) {
        if (past.every((v) => v === 0) && actual > opt.minAmount) kind = 'new_spend';
        else if (high && actual - base > opt.minAmount && lastFlagged !== i - 1) kind = 'spike';
      }
      // A spike's next days are the same episode; a usual weekly high (a Monday job) is not one.
      if (high) lastFlagged = i;
      if (!kind) continue;
      const drivers: CostDriver[] = [];
      for (const [usageType, a] of usage) {
        const b = median(Array.from(a.subarray(i - opt.window, i)));
        const v = a[i] ?? 0;
        if (Math.abs(v - b) > 1e-9)
          drivers.push({ usageType, baseline: b, actual: v, delta: v - b, share: 0 });
      }
      const totalDelta = drivers.reduce((s, d) => s + d.delta, 0);
      const ranked = drivers
        .map((d) => ({ ...d, share: totalDelta !== 0 ? d.delta / totalDelta : 0 }))
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
      out.push({
        date: allDays[i] ?? '',
        service,
        kind,
        actual,
        baseline: base,
        delta: actual - base,
        score,
        drivers: ranked,
      });
    }
  }
  return out.sort((a, b) =>
    a.date === b.date ? Math.abs(b.delta) - Math.abs(a.delta) : a.date < b.date ? -1 : 1,
  );
}
