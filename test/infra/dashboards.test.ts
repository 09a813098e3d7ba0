import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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

  it('refuses a query that uses an undefined variable', () => {
    const d = dashboards[0]?.dashboard;
    if (!d) throw new Error('no dashboard');
    expect(() => expandVariables('rate(x{pod="$nope"}[5m])', d)).toThrow(/nope/);
  });
});
