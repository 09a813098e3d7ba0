/**
 * The HPA benchmark's traces (NASA requests/min and the datacenter CPU traces under
 * ../shared/data/traffic) with the benchmark's per-pod capacity assumption: the trace's 95th
 * percentile load / 6, so that the default HPA's ceiling of 10 pods at 70% is tight at the peaks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Trace {
  name: string;
  /** One value per step; missing or negative values read as 0. */
  load: number[];
  stepSeconds: number;
  capacityPerPod: number;
}

function column(path: string, name: string): number[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const idx = (head ?? '').split(',').indexOf(name);
  if (idx < 0) throw new Error(`${path}: no column ${name}`);
  return lines.map((l) => {
    const v = Number(l.split(',')[idx]);
    return Number.isFinite(v) ? Math.max(0, v) : 0;
  });
}

function trace(name: string, load: number[], stepSeconds: number): Trace {
  const sorted = [...load].sort((a, b) => a - b);
  const capacityPerPod = (sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 1) / 6;
  return { name, load, stepSeconds, capacityPerPod };
}

export function readTraces(dir: string): Trace[] {
  const dc = join(dir, 'datacenter_traces');
  return [
    trace('NASA requests/min', column(join(dir, 'nasa_requests_per_minute.csv'), 'requests'), 60),
    trace(
      'Alibaba 2018 cpu %',
      column(join(dc, 'alibaba2018/machine_usage_days_1_to_8_grouped_300_seconds.csv'), 'cpu_util_percent'),
      300,
    ),
    trace(
      'Azure v2 cpu',
      column(join(dc, 'azure_v2/vm_cpu_readings_month_aggregated_cpu_mem.csv'), 'cpu_usage'),
      300,
    ),
    trace(
      'Google 2019 cpu',
      column(join(dc, 'google2019/instance_usage_grouped_300_seconds_month.csv'), 'avg_cpu'),
      300,
    ),
  ];
}
