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
  return `${DOCS_BEGIN}\n${moduleTables(mod, '##')}\n${DOCS_END}`;
}

export const INDEX_BEGIN = '<!-- BEGIN_MODULE_REFERENCE -->';
export const INDEX_END = '<!-- END_MODULE_REFERENCE -->';

/** Every module's tables in one section of infra/README.md, headed by its path under modules/. */
export function renderModuleIndex(mods: { path: string; mod: TfModule }[]): string {
  const parts = mods.map(({ path, mod }) => `### \`${path}\`\n\n${moduleTables(mod, '####')}`);
  return `${INDEX_BEGIN}\n${parts.join('\n\n')}\n${INDEX_END}`;
}

export function readSection(text: string, begin: string, end: string): string | undefined {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) return undefined;
  return text.slice(start, stop + end.length);
}

function moduleTables(mod: TfModule, heading: string): string {
  const lines = [
    `${heading} Inputs`,
    '',
    '| Name | Type | Default | Description |',
    '| --- | --- | --- | --- |',
  ];
  for (const [name, v] of [...mod.variables].sort(([a], [b]) => a.localeCompare(b))) {
    const def = 'default' in v ? `\`${cell(JSON.stringify(v.default))}\`` : 'required';
    const type = `\`${cell(expressionText(v.type ?? 'any'))}\``;
    lines.push(`| \`${name}\` | ${type} | ${def} | ${cell(String(v.description ?? ''))} |`);
  }
  lines.push('', `${heading} Outputs`, '', '| Name | Description |', '| --- | --- |');
  for (const [name, o] of [...mod.outputs].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| \`${name}\` | ${cell(String(o.description ?? ''))} |`);
  }
  return lines.join('\n');
}

/** The generated section currently in the README, or undefined when there is none. */
export function readDocsSection(readme: string): string | undefined {
  return readSection(readme, DOCS_BEGIN, DOCS_END);
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
