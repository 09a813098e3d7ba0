import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TfModule } from './terraform.js';

export const DOCS_BEGIN = '<!-- BEGIN_TF_DOCS -->';
export const DOCS_END = '<!-- END_TF_DOCS -->';

/** `${map(string)}` -> `map(string)`, whitespace collapsed. */
export function expressionText(v: unknown): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  const m = /^\$\{([\s\S]*)\}$/.exec(v);
  return (m ? (m[1] ?? '') : v).replace(/\s+/g, ' ').trim();
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The inputs/outputs tables of a module's README, generated from its variables and outputs. */
export function renderModuleDocs(mod: TfModule): string {
  const lines = ['## Inputs', '', '| Name | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const [name, v] of [...mod.variables].sort(([a], [b]) => a.localeCompare(b))) {
    const def = 'default' in v ? `\`${cell(JSON.stringify(v.default))}\`` : 'required';
    const type = `\`${cell(expressionText(v.type ?? 'any'))}\``;
    lines.push(`| \`${name}\` | ${type} | ${def} | ${cell(String(v.description ?? ''))} |`);
  }
  lines.push('', '## Outputs', '', '| Name | Description |', '| --- | --- |');
  for (const [name, o] of [...mod.outputs].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| \`${name}\` | ${cell(String(o.description ?? ''))} |`);
  }
  return `${DOCS_BEGIN}\n${lines.join('\n')}\n${DOCS_END}`;
}

/** The generated section currently in the README, or undefined when there is none. */
export function readDocsSection(readme: string): string | undefined {
  const start = readme.indexOf(DOCS_BEGIN);
  const end = readme.indexOf(DOCS_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start, end + DOCS_END.length);
}

/** Write (or refresh) the generated section of `<dir>/README.md`; returns whether it changed. */
export function writeModuleDocs(mod: TfModule, title: string, intro: string): boolean {
  const path = join(mod.dir, 'README.md');
  const generated = renderModuleDocs(mod);
  const current = existsSync(path)
    ? readFileSync(path, 'utf8')
    : `# ${title}\n\n${intro}\n\n${DOCS_BEGIN}\n${DOCS_END}\n`;
  const section = readDocsSection(current);
  const next =
    section === undefined
      ? `${current.trimEnd()}\n\n${generated}\n`
      : current.replace(section, () => generated);
  if (next === current) return false;
  writeFileSync(path, next);
  return true;
}
