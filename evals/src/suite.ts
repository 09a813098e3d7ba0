import { describeProviderModel, parseModelSpec, type SelectedModel, selectModel } from '@devops-ai/graphs';
import { buildReport, type SuiteReport } from './report.js';
import { type RunOptions, runScenario, type ScenarioResult } from './runner.js';
import type { LoadedScenario } from './scenario.js';

/**
 * Resolves `--model`: `offline`, `anthropic:<model>`, `openai:<model>` or
 * `openai-compatible:<baseURL>#<model>`, keys from `env`. Returns the label the report uses and
 * the model exactly as the host will build it (the host calls the same `selectModel`).
 */
export function resolveModel(spec: string, env: Record<string, string | undefined>): SelectedModel {
  const trimmed = spec.trim();
  if (trimmed === 'offline') return selectModel('offline', env);
  // Validates the spec and the key before any scenario starts; the label never contains a key.
  const label = describeProviderModel(parseModelSpec(trimmed, env));
  const selected = selectModel(trimmed, env);
  return { model: selected.model, label };
}

export interface SuiteOptions extends RunOptions {
  repeat: number;
  concurrency?: number;
  onResult?: (r: ScenarioResult) => void;
}

/** Runs every scenario `repeat` times (each trial on a fresh world and host) and builds the report. */
export async function runSuite(
  scenarios: LoadedScenario[],
  opts: SuiteOptions,
): Promise<{ report: SuiteReport; results: ScenarioResult[] }> {
  const label = resolveModel(opts.model, opts.env).label;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const jobs: Array<{ s: LoadedScenario; trial: number }> = [];
  for (let trial = 1; trial <= opts.repeat; trial++) for (const s of scenarios) jobs.push({ s, trial });
  const results: ScenarioResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i] as (typeof jobs)[number];
      const r = await runScenario(job.s, opts, job.trial);
      results[i] = r;
      opts.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  const report = buildReport(label, results, {
    startedAt,
    durationMs: performance.now() - t0,
    repeat: opts.repeat,
    replyChecks: opts.replyChecks !== false,
  });
  return { report, results };
}
