import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { K6_MODULES, parseK6Script } from './lib/k6.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const k6Dir = join(root, 'observability', 'k6');

const scripts = readdirSync(k6Dir)
  .filter((f) => f.endsWith('.js'))
  .sort();

describe('k6 scripts parse as ES modules and have the shape k6 runs', () => {
  it('ships smoke, load, spike and host scripts', () => {
    expect(scripts).toEqual(['devops-ai-host.js', 'load.js', 'smoke.js', 'spike.js']);
  });

  for (const file of scripts) {
    it(file, () => {
      const parsed = parseK6Script(file, readFileSync(join(k6Dir, file), 'utf8'));
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.hasDefaultFunction).toBe(true);
      expect(parsed.exports.has('options')).toBe(true);
      for (const spec of parsed.imports) {
        if (spec.startsWith('.')) {
          const lib = resolve(k6Dir, spec);
          const libParsed = parseK6Script(lib, readFileSync(lib, 'utf8'));
          expect(libParsed.diagnostics, lib).toEqual([]);
          // every name imported from the library is exported by it
          const text = readFileSync(join(k6Dir, file), 'utf8');
          const names = new RegExp(`import \\{([^}]+)\\} from '${spec.replace(/[./]/g, '\\$&')}'`).exec(
            text,
          )?.[1];
          for (const n of (names ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)) {
            expect(libParsed.exports.has(n), `${file} imports ${n} from ${spec}`).toBe(true);
          }
        } else {
          expect(spec, file).toMatch(K6_MODULES);
        }
      }
    });
  }

  it('the parser reports a syntax error (the check is live)', () => {
    const parsed = parseK6Script(
      'bad.js',
      "import http from 'k6/http';\nexport default function () { http.get('x' }\n",
    );
    expect(parsed.diagnostics.length).toBeGreaterThan(0);
  });
});
