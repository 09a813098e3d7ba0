import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Cost matrix of one NAB application profile (nab/config/profiles.json). */
export interface CostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** One data file of a NAB-layout corpus: `data/<category>/<file>.csv`. */
export interface NabSeries {
  /** Relative path as used in the label files, e.g. `realKnownCause/nyc_taxi.csv`. */
  readonly relativePath: string;
  readonly category: string;
  readonly fileName: string;
  /** Timestamps as written in the file (`YYYY-MM-DD HH:MM:SS`). */
  readonly timestamps: string[];
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  /** Anomaly windows as `[startTimestamp, endTimestamp]`, normalised to `YYYY-MM-DD HH:MM:SS`. */
  readonly windows: Array<[string, string]>;
  /** Per-row ground-truth labels (1 inside a window). */
  readonly labels: Uint8Array;
}

export class NabCorpusError extends Error {
  override readonly name = 'NabCorpusError';
  constructor(
    readonly code: 'nab_missing' | 'nab_malformed',
    message: string,
  ) {
    super(message);
  }
}

/** NAB writes window limits with microseconds; data files do not. Compare on the first 19 characters. */
export function normaliseTimestamp(ts: string): string {
  return ts.trim().slice(0, 19);
}

export function parseTimestampMs(ts: string): number {
  const ms = Date.parse(`${normaliseTimestamp(ts).replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new NabCorpusError('nab_malformed', `bad timestamp: ${ts}`);
  return ms;
}

function mustExist(path: string): string {
  if (!existsSync(path)) throw new NabCorpusError('nab_missing', `missing: ${path}`);
  return path;
}

/** Parses a CSV with a header row into its header and rows of strings (no quoting in NAB files). */
export function readCsv(path: string): { header: string[]; rows: string[][] } {
  const text = readFileSync(mustExist(path), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const rows = lines.slice(1).map((l) => l.split(','));
  return { header, rows };
}

export function readProfiles(dir: string): Record<string, CostMatrix> {
  const raw = JSON.parse(readFileSync(mustExist(join(dir, 'config', 'profiles.json')), 'utf8')) as Record<
    string,
    { CostMatrix: CostMatrix }
  >;
  const out: Record<string, CostMatrix> = {};
  for (const [name, p] of Object.entries(raw)) out[name] = p.CostMatrix;
  return out;
}

/** Reads every series of a NAB-layout folder with its windows, sorted by relative path. */
export function readNabCorpus(dir: string): NabSeries[] {
  const windowsJson = JSON.parse(
    readFileSync(mustExist(join(dir, 'labels', 'combined_windows.json')), 'utf8'),
  ) as Record<string, Array<[string, string]>>;
  const dataDir = mustExist(join(dir, 'data'));
  const out: NabSeries[] = [];
  for (const category of readdirSync(dataDir).sort()) {
    for (const fileName of readdirSync(join(dataDir, category))
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const relativePath = `${category}/${fileName}`;
      const { header, rows } = readCsv(join(dataDir, category, fileName));
      const ti = header.indexOf('timestamp');
      const vi = header.indexOf('value');
      if (ti < 0 || vi < 0) throw new NabCorpusError('nab_malformed', `${relativePath}: no timestamp/value`);
      const timestamps = rows.map((r) => normaliseTimestamp(r[ti] ?? ''));
      const timestampsMs = Float64Array.from(timestamps, parseTimestampMs);
      const values = Float64Array.from(rows, (r) => Number(r[vi]));
      const windows = (windowsJson[relativePath] ?? []).map(
        ([a, b]) => [normaliseTimestamp(a), normaliseTimestamp(b)] as [string, string],
      );
      const labels = new Uint8Array(rows.length);
      for (const [a, b] of windows) {
        const la = parseTimestampMs(a);
        const lb = parseTimestampMs(b);
        for (let i = 0; i < rows.length; i++) {
          const t = timestampsMs[i] ?? 0;
          if (t >= la && t <= lb) labels[i] = 1;
        }
      }
      out.push({ relativePath, category, fileName, timestamps, timestampsMs, values, windows, labels });
    }
  }
  return out;
}

/** Reads the anomaly scores of one detector's NAB results file (`<detector>/<category>/<detector>_<file>`). */
export function readResultScores(resultsDir: string, detector: string, series: NabSeries): Float64Array {
  const path = join(resultsDir, detector, series.category, `${detector}_${series.fileName}`);
  const { header, rows } = readCsv(path);
  const si = header.indexOf('anomaly_score');
  if (si < 0) throw new NabCorpusError('nab_malformed', `${path}: no anomaly_score column`);
  if (rows.length !== series.timestamps.length) {
    throw new NabCorpusError(
      'nab_malformed',
      `${path}: ${rows.length} rows, data has ${series.timestamps.length}`,
    );
  }
  return Float64Array.from(rows, (r) => Number(r[si]));
}
