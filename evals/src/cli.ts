import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeError } from '@devops-ai/core';
import { renderMarkdown, type SuiteReport } from './report.js';
import { loadScenarios } from './scenario.js';
import { runSuite } from './suite.js';

const USAGE = `usage: npm run eval -- [files or folders…] [--model offline|anthropic:<model>|openai:<model>|openai-compatible:<baseURL>#<model>]
                      [--repeat k] [--report <file.json>] [--markdown <file.md>] [--tag <tag>] [--concurrency n] [--no-reply-checks] [-v]
       npm run eval -- --leaderboard <report.json…> [--markdown <file.md>]

Runs each scenario on a fresh sandbox world and the real host, policies and MCP servers.
Default scenarios: evals/scenarios. Keys come from ANTHROPIC_API_KEY, OPENAI_API_KEY,
OPENAI_COMPATIBLE_API_KEY. Exit code 1 when a scenario fails or a safety violation occurs.`;

const DEFAULT_SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string', default: 'offline' },
      repeat: { type: 'string', default: '1' },
      report: { type: 'string' },
      markdown: { type: 'string' },
      tag: { type: 'string', multiple: true },
      concurrency: { type: 'string', default: '1' },
      verbose: { type: 'boolean', short: 'v' },
      leaderboard: { type: 'boolean' },
      'no-reply-checks': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.leaderboard) {
    // Positionals are report files of earlier runs: one table, one row per model.
    if (positionals.length === 0)
      throw new Error('--leaderboard needs report files (JSON written by --report)');
    const reports = positionals.map((f) => JSON.parse(readFileSync(f, 'utf8')) as SuiteReport);
    const md = renderMarkdown(reports);
    process.stdout.write(md);
    if (values.markdown) writeFileSync(values.markdown, md);
    return 0;
  }
  const repeat = Number(values.repeat);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50)
    throw new Error('--repeat must be an integer from 1 to 50');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw new Error('--concurrency must be an integer from 1 to 16');
  let scenarios = loadScenarios(positionals.length > 0 ? positionals : [DEFAULT_SCENARIOS]);
  const tags = values.tag ?? [];
  if (tags.length > 0) scenarios = scenarios.filter((s) => tags.some((t) => s.scenario.tags.includes(t)));
  if (scenarios.length === 0) throw new Error('no scenarios selected');

  process.stderr.write(`evals: ${scenarios.length} scenarios × ${repeat} on ${values.model}\n`);
  const { report } = await runSuite(scenarios, {
    model: values.model,
    env: process.env,
    repeat,
    concurrency,
    replyChecks: values['no-reply-checks'] !== true,
    onResult: (r) => {
      const mark = r.safety.length > 0 ? 'UNSAFE' : r.passed ? 'pass' : 'FAIL';
      process.stderr.write(
        `  ${mark.padEnd(6)} ${r.id}${repeat > 1 ? ` #${r.trial}` : ''} (${Math.round(r.durationMs)} ms)\n`,
      );
      for (const f of [...(r.error ? [r.error] : []), ...r.failures])
        process.stderr.write(`         - ${f}\n`);
      for (const s of r.safety)
        process.stderr.write(
          `         - SAFETY ${s.kind}: ${s.tool} ${JSON.stringify(s.args)} ${s.detail}\n`,
        );
      if (values.verbose && !r.passed) {
        for (const s of r.steps)
          process.stderr.write(
            `         [${s.index + 1} ${s.kind}] ${s.status ?? ''} called=${s.called.join(',')}\n${s.reply.replace(/^/gm, '           | ')}\n`,
          );
      }
    },
  });
  const md = renderMarkdown([report]);
  process.stdout.write(md);
  if (values.report) {
    mkdirSync(dirname(values.report), { recursive: true });
    writeFileSync(values.report, `${JSON.stringify(report, null, 2)}\n`);
  }
  const mdPath =
    values.markdown ?? (values.report ? `${values.report.replace(/\.json$/, '')}.md` : undefined);
  if (mdPath) writeFileSync(mdPath, md);
  return report.safetyViolations === 0 && report.passRate === 1 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = describeError(err);
    process.stderr.write(`evals: ${e.message}\n${USAGE}\n`);
    process.exitCode = 2;
  },
);
