import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerDir = join(root, 'docker');

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^([A-Za-z]+)\s+([\s\S]*)$/.exec(l);
      if (!m) throw new Error(`not an instruction: ${l}`);
      return { op: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').trim() };
    });
}

const dockerfiles = readdirSync(dockerDir).filter((f) => f.endsWith('.Dockerfile'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, unknown>;
};

describe('Dockerfiles', () => {
  it('there is one for the host and one for the MCP servers', () => {
    expect(dockerfiles.sort()).toEqual(['host.Dockerfile', 'mcp-server.Dockerfile']);
  });

  for (const file of dockerfiles) {
    describe(file, () => {
      const text = readFileSync(join(dockerDir, file), 'utf8');
      const ins = parseDockerfile(text);
      const args = new Map(
        ins
          .filter((i) => i.op === 'ARG' && i.args.includes('='))
          .map((i) => {
            const [k, ...v] = i.args.split('=');
            return [k ?? '', v.join('=')] as const;
          }),
      );
      const froms = ins.filter((i) => i.op === 'FROM');
      const finalStage = ins.slice(ins.lastIndexOf(froms[froms.length - 1] as Instruction));

      it('is multi-stage and the runtime stage copies from a build stage', () => {
        expect(froms.length).toBeGreaterThanOrEqual(3);
        expect(finalStage.some((i) => i.op === 'COPY' && i.args.includes('--from='))).toBe(true);
        expect(finalStage.some((i) => i.op === 'RUN')).toBe(false); // distroless: no shell in the runtime
      });

      it('pins every base image to a version tag (no latest)', () => {
        for (const f of froms) {
          const image = (f.args.split(/\s+/)[0] ?? '').replace(
            /^\$\{(\w+)\}$/,
            (_, k: string) => args.get(k) ?? k,
          );
          if (/^[a-z]+$/.test(image) && froms.some((x) => x.args.endsWith(` AS ${image}`))) continue; // a stage
          expect(image, f.args).toMatch(/:[\w.-]+$/);
          expect(image).not.toMatch(/:latest$/);
        }
      });

      it('runs as a non-root numeric user in the final stage', () => {
        const user = finalStage.filter((i) => i.op === 'USER').pop();
        expect(user?.args).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
      });

      it('copies only packages the lockfile knows', () => {
        for (const i of ins.filter((x) => x.op === 'COPY' && x.args.includes('/node_modules/'))) {
          const pkg = /\/app\/(node_modules\/(?:@[^/\s]+|[^/\s]+))/.exec(i.args)?.[1] ?? '';
          const known = Object.keys(lock.packages).some((k) => k === pkg || k.startsWith(`${pkg}/`));
          expect(known, pkg).toBe(true);
        }
      });

      it('starts an entry point that exists in the repository', () => {
        const cmd = JSON.parse(finalStage.find((i) => i.op === 'CMD')?.args ?? '[]') as string[];
        expect(cmd.length).toBe(1);
        if (file === 'host.Dockerfile')
          expect(readFileSync(join(root, cmd[0] ?? ''), 'utf8')).toContain('register');
        else expect(text).toMatch(/mcp-servers\/\$\{SERVER\}\/bin\/devops-ai-mcp-\$\{SERVER\}\.js/);
      });
    });
  }

  it('the parser reads continuation lines (the check is live)', () => {
    expect(parseDockerfile('FROM a:1 AS b\nRUN x \\\n  && y\n# c\nUSER 1')).toEqual([
      { op: 'FROM', args: 'a:1 AS b' },
      { op: 'RUN', args: 'x    && y' },
      { op: 'USER', args: '1' },
    ]);
  });
});
