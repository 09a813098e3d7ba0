import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { allPanels, expandVariables, loadDashboards, promqlOf } from './lib/dashboards.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'observability', 'grafana', 'dashboards');

describe('grafana dashboards (structure)', () => {
  const dashboards = loadDashboards(dir);

  it('ships the burst-scaling, platform and cost dashboards', () => {
    expect(dashboards.map((d) => d.file)).toEqual([
      'burst-scaling.json',
      'cost.json',
      'devops-ai-platform.json',
    ]);
  });

  for (const { file, dashboard } of dashboards) {
    describe(file, () => {
      it('declares a Prometheus datasource variable and every panel uses it', () => {
        const ds = dashboard.templating.list.filter((v) => v.type === 'datasource');
        expect(ds).toHaveLength(1);
        expect(ds[0]?.query).toBe('prometheus');
        const name = ds[0]?.name;
        for (const p of allPanels(dashboard.panels)) {
          if (p.type === 'row') continue;
          expect(p.datasource?.uid, p.title).toBe(`\${${name}}`);
          expect(p.targets?.length ?? 0, p.title).toBeGreaterThan(0);
        }
      });

      it('has unique panel ids and panels inside the 24-column grid', () => {
        const panels = allPanels(dashboard.panels);
        expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
        for (const p of panels) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      });

      it('every variable used in a query is defined', () => {
        for (const { expr } of promqlOf(dashboard))
          expect(() => expandVariables(expr, dashboard)).not.toThrow();
      });
    });
  }

  it('every recording rule a dashboard reads (level:metric:operation) is recorded by the shipped rules', () => {
    const rulesDir = join(root, 'observability', 'prometheus', 'rules');
    const recorded = new Set(
      readdirSync(rulesDir).flatMap((f) =>
        (
          parseYaml(readFileSync(join(rulesDir, f), 'utf8')) as { groups: { rules: { record?: string }[] }[] }
        ).groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))),
      ),
    );
    const used = dashboards.flatMap(({ dashboard }) =>
      promqlOf(dashboard).flatMap(({ expr }) =>
        [...expr.matchAll(/\b[a-z_]+:[a-z_:0-9]+\b/g)].map((m) => m[0]),
      ),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((m) => !recorded.has(m))).toEqual([]);
  });

  it('refuses a query that uses an undefined variable', () => {
    const d = dashboards[0]?.dashboard;
    if (!d) throw new Error('no dashboard');
    expect(() => expandVariables('rate(x{pod="$nope"}[5m])', d)).toThrow(/nope/);
  });
});
