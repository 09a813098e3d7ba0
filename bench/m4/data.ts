import { readFileSync } from 'node:fs';
import type { M4Series } from './metrics.js';

/** Reads an M4 CSV (`"V1","V2",…` header, one quoted id and values per row, empty cells at the end). */
export function readM4Csv(path: string): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.replace(/"/g, '').trim());
    const id = cells[0] ?? '';
    const values = cells
      .slice(1)
      .filter((c) => c !== '' && c !== 'NA')
      .map(Number);
    out.set(id, Float64Array.from(values));
  }
  return out;
}

export function readM4(trainPath: string, testPath: string): M4Series[] {
  const train = readM4Csv(trainPath);
  const test = readM4Csv(testPath);
  const out: M4Series[] = [];
  for (const [id, x] of train) {
    const y = test.get(id);
    if (y === undefined) throw new Error(`no test values for ${id}`);
    out.push({ id, train: x, test: y });
  }
  return out;
}
