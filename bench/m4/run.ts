/**
 * M4 Hourly benchmark: forecasts every series 48 steps ahead from the train file only, writes the
 * M4 submission format (`id,F1,…,F48`) and prints sMAPE, MASE and OWA (against Naive2, the M4 way)
 * and the runtime.
 *
 *   npm run bench:m4 -- --train ../shared/data/m4/Hourly-train.csv --test ../shared/data/m4/Hourly-test.csv --out /tmp/m4-forecasts.csv
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type ForecastResult, forecast, naive2, seasonalNaive } from '@devops-ai/engines';
import { readM4, readM4Csv } from './data.js';
import { evaluate } from './metrics.js';

const HORIZON = 48;
const PERIOD = 24;

interface Job {
  readonly series: Array<{ id: string; values: number[] }>;
  readonly level: number;
}

function forecastAll(job: Job): Array<{ id: string; result: ForecastResult }> {
  return job.series.map((s) => ({
    id: s.id,
    result: forecast(s.values, { horizon: HORIZON, seasonalities: [24, 168], level: job.level }),
  }));
}

// Worker: forecast the series it is given and post the results back.
if (!isMainThread) {
  parentPort?.postMessage(forecastAll(workerData as Job));
}

const { values: args } = parseArgs({
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    out: { type: 'string' },
    level: { type: 'string', default: '0.9' },
    /** Worker threads (series are split between them); 1 runs everything on the main thread. */
    threads: { type: 'string', default: '1' },
  },
});
if (!isMainThread) {
  // workers do nothing else
} else await main();

async function main(): Promise<void> {
  if (!args.train || !args.out) {
    console.error('usage: npm run bench:m4 -- --train <train.csv> [--test <test.csv>] --out <forecasts.csv>');
    process.exit(2);
  }
  const level = Number(args.level);
  const train = readM4Csv(args.train);
  const ids = [...train.keys()];

  const threads = Math.max(1, Number(args.threads));
  const t0 = performance.now();
  const chunks: Job[] = Array.from({ length: threads }, (_, k) => ({
    series: ids
      .filter((_, i) => i % threads === k)
      .map((id) => ({ id, values: Array.from(train.get(id) ?? []) })),
    level,
  }));
  const parts =
    threads === 1
      ? [forecastAll(chunks[0] as Job)]
      : await Promise.all(
          chunks.map(
            (job) =>
              new Promise<Array<{ id: string; result: ForecastResult }>>((resolve, reject) => {
                // The worker registers tsx's loader itself, then runs this file (worker branch above).
                const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
                const w = new Worker(boot, { eval: true, workerData: job });
                w.once('message', (m: Array<{ id: string; result: ForecastResult }>) => {
                  resolve(m);
                  void w.terminate();
                });
                w.once('error', reject);
              }),
          ),
        );
  const byIdResult = new Map(parts.flat().map((r) => [r.id, r.result]));
  const results = ids.map((id) => byIdResult.get(id));
  const seconds = (performance.now() - t0) / 1000;

  const header = ['id', ...Array.from({ length: HORIZON }, (_, i) => `F${i + 1}`)].join(',');
  const lines = ids.map((id, i) => [id, ...(results[i]?.mean ?? []).map((v) => String(v))].join(','));
  writeFileSync(args.out, `${header}\n${lines.join('\n')}\n`);
  console.log(`M4 Hourly: ${ids.length} series, horizon ${HORIZON}, forecasts written to ${args.out}`);
  console.log(
    `  runtime          ${seconds.toFixed(2)} s (all series, with ${Math.round(level * 100)}% intervals, ${threads} thread${threads > 1 ? 's' : ''})`,
  );

  if (args.test) {
    const series = readM4(args.train, args.test);
    const byId = new Map(ids.map((id, i) => [id, results[i]?.mean ?? []]));
    const ours = evaluate(
      series,
      series.map((s) => byId.get(s.id) ?? []),
      PERIOD,
    );
    const n2 = evaluate(
      series,
      series.map((s) => naive2(s.train, HORIZON, PERIOD)),
      PERIOD,
    );
    const sn = evaluate(
      series,
      series.map((s) => seasonalNaive(s.train, HORIZON, PERIOD)),
      PERIOD,
    );
    let covered = 0;
    let total = 0;
    series.forEach((s) => {
      const r = results[ids.indexOf(s.id)];
      s.test.forEach((v, j) => {
        total++;
        if (r && v >= (r.lower[j] ?? 0) && v <= (r.upper[j] ?? 0)) covered++;
      });
    });
    const row = (name: string, a: { smape: number; mase: number; owa: number }) =>
      console.log(
        `  ${name.padEnd(16)} sMAPE ${a.smape.toFixed(3)}  MASE ${a.mase.toFixed(3)}  OWA ${a.owa.toFixed(3)}`,
      );
    row('devops-ai', ours);
    // The halves the README reports: odd positions were looked at while choosing the method pool.
    for (const [name, r] of [
      ['  odd positions', 0],
      ['  even positions', 1],
    ] as const) {
      const half = series.filter((_, i) => i % 2 === r);
      row(
        name,
        evaluate(
          half,
          half.map((s) => byId.get(s.id) ?? []),
          PERIOD,
        ),
      );
    }
    row('Naive2', n2);
    row('sNaive', sn);
    console.log(`  interval coverage ${(covered / total).toFixed(3)} (nominal ${level})`);
  }
}
