import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const target = z.object({ refId: z.string(), expr: z.string().min(1) }).passthrough();
const datasourceRef = z.object({ type: z.literal('prometheus'), uid: z.string() }).passthrough();
const panel: z.ZodType<Panel> = z.lazy(() =>
  z
    .object({
      id: z.number().int(),
      type: z.string(),
      title: z.string().min(1),
      gridPos: z.object({ h: z.number(), w: z.number(), x: z.number(), y: z.number() }),
      datasource: datasourceRef.optional(),
      targets: z.array(target).optional(),
      panels: z.array(panel).optional(),
    })
    .passthrough(),
);
const variable = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    type: z.enum(['datasource', 'query', 'custom', 'constant', 'interval', 'textbox']),
    query: z.unknown().optional(),
    allValue: z.string().optional(),
    current: z.object({ value: z.unknown().optional() }).passthrough().optional(),
  })
  .passthrough();

export const dashboardSchema = z
  .object({
    uid: z.string().regex(/^[a-z0-9-]{1,40}$/),
    title: z.string().min(1),
    schemaVersion: z.number().int().min(30),
    templating: z.object({ list: z.array(variable) }),
    panels: z.array(panel).min(1),
  })
  .passthrough();

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: 'prometheus'; uid: string } | undefined;
  targets?: { refId: string; expr: string }[] | undefined;
  panels?: Panel[] | undefined;
}

export type Dashboard = z.infer<typeof dashboardSchema>;

export function loadDashboards(dir: string): { file: string; raw: string; dashboard: Dashboard }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      return { file, raw, dashboard: dashboardSchema.parse(JSON.parse(raw)) };
    });
}

export function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/**
 * Grafana expands these before a query reaches Prometheus; replace them the way Grafana would
 * (built-in intervals become durations, variables their "All" value or current value).
 */
export function expandVariables(expr: string, dashboard: Dashboard): string {
  const builtins: Record<string, string> = {
    __rate_interval: '5m',
    __interval: '1m',
    __interval_ms: '60000',
    __range: '6h',
    __range_s: '21600',
    __range_ms: '21600000',
  };
  const values = new Map<string, string>(Object.entries(builtins));
  for (const v of dashboard.templating.list) {
    if (v.type === 'datasource') continue;
    const current = v.current?.value;
    values.set(v.name, v.allValue ?? (typeof current === 'string' ? current : 'example'));
  }
  return expr.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a, b) => {
    const name = (a ?? b) as string;
    const v = values.get(name);
    if (v === undefined) throw new Error(`unknown dashboard variable ${m} in ${expr}`);
    return v;
  });
}

/** PromQL the dashboard sends: panel targets plus the selectors inside label_values() variables. */
export function promqlOf(dashboard: Dashboard): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const p of allPanels(dashboard.panels)) {
    for (const t of p.targets ?? []) out.push({ where: `${p.title} [${t.refId}]`, expr: t.expr });
  }
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: unknown } | undefined)?.query;
    if (typeof q !== 'string') continue;
    const m = /^label_values\((.+),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(q.trim());
    out.push({ where: `variable ${v.name}`, expr: m ? (m[1] ?? q) : q });
  }
  return out;
}
