import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type PanelMetric = 'cpu' | 'replicas' | 'requests' | 'latency';

export interface ChartPoint {
  time: string;
  value: number;
  series: string;
}

export interface ChartPanel {
  metric: PanelMetric;
  title: string;
  unit: string;
  points: ChartPoint[];
  /** Horizontal reference lines (HPA target, HPA max). */
  rules: Array<{ value: number; label: string }>;
}

export interface ChartEvent {
  time: string;
  label: string;
}

export interface ChartInput {
  title: string;
  panels: ChartPanel[];
  events: ChartEvent[];
}

export interface RenderedChart {
  png: Uint8Array;
  svg: string;
  width: number;
  height: number;
}

const FONT = 'DejaVu Sans';

function panelSpec(p: ChartPanel, events: ChartEvent[]) {
  const x = {
    field: 'time',
    type: 'temporal' as const,
    title: null,
    axis: { format: '%H:%M', labelAngle: 0 },
  };
  const layers: unknown[] = [
    {
      data: { values: p.points },
      mark: { type: 'line', strokeWidth: 2, interpolate: 'monotone' },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', title: p.unit, scale: { zero: true } },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          legend: { orient: 'right', labelLimit: 260 },
        },
      },
    },
  ];
  if (p.rules.length > 0) {
    layers.push(
      {
        data: { values: p.rules },
        mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y: { field: 'value', type: 'quantitative' } },
      },
      {
        data: { values: p.rules },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#d62728', fontSize: 10 },
        encoding: { y: { field: 'value', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      },
    );
  }
  if (events.length > 0) {
    layers.push({
      data: { values: events },
      mark: { type: 'rule', color: '#7f7f7f', strokeDash: [2, 3] },
      encoding: { x: { field: 'time', type: 'temporal' }, tooltip: { field: 'label' } },
    });
  }
  return {
    title: { text: p.title, anchor: 'start', fontSize: 12 },
    width: 640,
    height: 150,
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  };
}

/** Draws the panels as one PNG: vega-lite → vega → SVG → resvg. No browser, no canvas. */
export async function renderChart(input: ChartInput): Promise<RenderedChart> {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title, fontSize: 14 },
    background: 'white',
    padding: 12,
    config: { font: FONT, view: { stroke: '#ddd' } },
    vconcat: input.panels.map((p) => panelSpec(p, input.events)),
    resolve: { scale: { x: 'shared', color: 'independent' }, legend: { color: 'independent' } },
  } as unknown as TopLevelSpec;
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 1.5 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  const image = resvg.render();
  return { png: image.asPng(), svg, width: image.width, height: image.height };
}
