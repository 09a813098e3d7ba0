import type { UsageTotals } from '@devops-ai/graphs';
import type { ScenarioResult } from './runner.js';
import type { SafetyViolation } from './safety.js';
import { addCounts, type Counts, passHatK, percentile, precision, recall } from './scoring.js';

export interface SuiteReport {
  /** The model as the runner named it: `offline`, `anthropic:<model>`, … (never a key). */
  model: string;
  startedAt: string;
  durationMs: number;
  repeat: number;
  /** false when the run skipped reply_includes / reply_excludes (--no-reply-checks). */
  replyChecks: boolean;
  scenarios: number;
  trials: number;
  passRate: number;
  /** null when the run had no scenario of that kind. */
  nonAdversarial: { scenarios: number; passRate: number | null };
  adversarial: { scenarios: number; passRate: number | null };
  /** pass^k for k = 1..repeat (τ-bench estimator). */
  passHatK: Record<string, number | null>;
  safetyViolations: number;
  toolCalls: Counts & { precision: number | null; recall: number | null };
  latencyMs: { p50: number | null; p95: number | null; turns: number };
  usage: {
    calls: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
    unpricedModels: string[];
  } | null;
  results: Array<{
    id: string;
    file: string;
    tags: string[];
    adversarial: boolean;
    trials: number;
    passes: number;
    failures: string[];
    safety: SafetyViolation[];
    warnings: string[];
    error: string | null;
    meanDurationMs: number;
  }>;
}

function sumUsage(all: Array<UsageTotals | null>): SuiteReport['usage'] {
  const present = all.filter((u): u is UsageTotals => u !== null);
  if (present.length === 0) return null;
  const unpriced = [...new Set(present.flatMap((u) => u.unpricedModels))];
  return {
    calls: present.reduce((s, u) => s + u.calls, 0),
    inputTokens: present.reduce((s, u) => s + u.inputTokens, 0),
    outputTokens: present.reduce((s, u) => s + u.outputTokens, 0),
    costUsd: unpriced.length > 0 ? null : present.reduce((s, u) => s + (u.costUsd ?? 0), 0),
    unpricedModels: unpriced,
  };
}

/** Aggregates the trials of a run. A scenario passes when all of its trials passed. */
export function buildReport(
  model: string,
  results: ScenarioResult[],
  opts: { startedAt: string; durationMs: number; repeat: number; replyChecks?: boolean },
): SuiteReport {
  const byId = new Map<string, ScenarioResult[]>();
  for (const r of results) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const groups = [...byId.values()];
  const rate = (gs: ScenarioResult[][]) =>
    gs.length === 0 ? null : gs.filter((g) => g.every((r) => r.passed)).length / gs.length;
  const adv = groups.filter((g) => g[0]?.adversarial);
  const non = groups.filter((g) => !g[0]?.adversarial);
  const trials = groups.map((g) => ({ n: g.length, c: g.filter((r) => r.passed).length }));
  const hat: Record<string, number | null> = {};
  for (let k = 1; k <= opts.repeat; k++) hat[String(k)] = passHatK(trials, k);
  const counts = results.map((r) => r.toolCalls).reduce(addCounts, { tp: 0, fp: 0, fn: 0 });
  const latencies = results.flatMap((r) =>
    r.steps.map((s) => s.latencyMs).filter((x): x is number => x !== null),
  );
  return {
    model,
    startedAt: opts.startedAt,
    durationMs: Math.round(opts.durationMs),
    repeat: opts.repeat,
    replyChecks: opts.replyChecks !== false,
    scenarios: groups.length,
    trials: results.length,
    passRate: rate(groups) ?? 0,
    nonAdversarial: { scenarios: non.length, passRate: rate(non) },
    adversarial: { scenarios: adv.length, passRate: rate(adv) },
    passHatK: hat,
    safetyViolations: results.reduce((s, r) => s + r.safety.length, 0),
    toolCalls: { ...counts, precision: precision(counts), recall: recall(counts) },
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      turns: latencies.length,
    },
    usage: sumUsage(results.map((r) => r.usage)),
    results: groups.map((g) => {
      const first = g[0] as ScenarioResult;
      return {
        id: first.id,
        file: first.file,
        tags: first.tags,
        adversarial: first.adversarial,
        trials: g.length,
        passes: g.filter((r) => r.passed).length,
        failures: [...new Set(g.flatMap((r) => r.failures))],
        safety: g.flatMap((r) => r.safety),
        warnings: [...new Set(g.flatMap((r) => r.warnings))],
        error: g.find((r) => r.error)?.error ?? null,
        meanDurationMs: Math.round(g.reduce((s, r) => s + r.durationMs, 0) / g.length),
      };
    }),
  };
}

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`;
}

/** A leaderboard-style Markdown table: one row per report (model), then the failing scenarios. */
export function renderMarkdown(reports: SuiteReport[]): string {
  const maxK = Math.max(...reports.map((r) => r.repeat));
  const kCols = maxK > 1 ? [`pass^${maxK}`] : [];
  const lines = [
    '| model | scenarios | pass | non-adversarial | adversarial | ' +
      [
        ...kCols,
        'safety violations',
        'tool precision',
        'tool recall',
        'p50 turn',
        'p95 turn',
        'tokens (in/out)',
        'cost',
        'suite time',
      ].join(' | ') +
      ' |',
    `|${' --- |'.repeat(13 + kCols.length)}`,
  ];
  for (const r of [...reports].sort(
    (a, b) => a.safetyViolations - b.safetyViolations || b.passRate - a.passRate,
  )) {
    const cells = [
      `\`${r.model}\`${r.replyChecks === false ? ' (behaviour only)' : ''}`,
      `${r.scenarios}${r.repeat > 1 ? ` ×${r.repeat}` : ''}`,
      pct(r.passRate),
      pct(r.nonAdversarial.passRate),
      pct(r.adversarial.passRate),
      ...(maxK > 1 ? [pct(r.passHatK[String(maxK)] ?? null)] : []),
      String(r.safetyViolations),
      pct(r.toolCalls.precision),
      pct(r.toolCalls.recall),
      r.latencyMs.p50 === null ? 'n/a' : `${r.latencyMs.p50} ms`,
      r.latencyMs.p95 === null ? 'n/a' : `${r.latencyMs.p95} ms`,
      r.usage ? `${r.usage.inputTokens} / ${r.usage.outputTokens}` : '0 / 0',
      r.usage ? (r.usage.costUsd === null ? 'unknown price' : `$${r.usage.costUsd.toFixed(4)}`) : '$0',
      `${(r.durationMs / 1000).toFixed(1)} s`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  for (const r of reports) {
    const failing = r.results.filter((x) => x.passes < x.trials || x.safety.length > 0);
    lines.push(
      '',
      `### ${r.model}: ${failing.length === 0 ? 'every scenario passed' : `${failing.length} failing`}`,
    );
    for (const f of failing) {
      lines.push(`- **${f.id}** (${f.passes}/${f.trials}) \`${f.file}\``);
      for (const m of [...(f.error ? [f.error] : []), ...f.failures].slice(0, 6)) lines.push(`  - ${m}`);
      for (const s of f.safety.slice(0, 6))
        lines.push(`  - SAFETY ${s.kind} (${s.evidence}): ${s.tool} ${JSON.stringify(s.args)} — ${s.detail}`);
    }
    const warned = r.results.filter((x) => x.warnings.length > 0);
    if (warned.length) {
      lines.push('', 'Warnings (not failures):');
      for (const w of warned) lines.push(`- ${w.id}: ${w.warnings.join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
