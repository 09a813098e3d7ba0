import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Strict field checking: kubernetes-models' validators accept unknown fields (the Kubernetes
 * OpenAPI schema allows them, and `kubectl apply` only warns), so a misspelled optional field
 * (`readinesProbe`) would pass. This walks an object alongside the TypeScript interface
 * kubernetes-models declares for its kind, using the TypeScript checker, and reports every key
 * the interface does not have.
 */
export class FieldChecker {
  private readonly checker: ts.TypeChecker;
  private readonly roots = new Map<string, ts.Type | null>();
  private readonly program: ts.Program;
  private readonly entry: string;

  constructor(kinds: { apiVersion: string; kind: string }[]) {
    this.entry = join(repoRoot, '__k8s_fields_entry__.ts');
    const lines = kinds.map(
      (k, i) =>
        `import type { I${k.kind} as T${i} } from 'kubernetes-models/${k.apiVersion}/${k.kind}';\nexport declare const v${i}: T${i};`,
    );
    const source = lines.join('\n');
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const orig = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
    host.getSourceFile = (f, lang, onErr, create) =>
      f === this.entry
        ? ts.createSourceFile(f, source, lang)
        : orig.getSourceFile.call(host, f, lang, onErr, create);
    host.fileExists = (f) => f === this.entry || orig.fileExists.call(host, f);
    host.readFile = (f) => (f === this.entry ? source : orig.readFile.call(host, f));
    this.program = ts.createProgram([this.entry], options, host);
    this.checker = this.program.getTypeChecker();
    const sf = this.program.getSourceFile(this.entry);
    if (!sf) throw new Error('field checker: entry not created');
    const symbols = this.checker.getExportsOfModule(this.checker.getSymbolAtLocation(sf) as ts.Symbol);
    for (const [i, k] of kinds.entries()) {
      const sym = symbols.find((s) => s.name === `v${i}`);
      const t = sym ? this.checker.getTypeOfSymbol(sym) : undefined;
      this.roots.set(`${k.apiVersion}/${k.kind}`, t && t.getProperties().length > 0 ? t : null);
    }
  }

  /** Paths of keys the kind's interface does not declare (empty when the kind is unknown to the checker). */
  unknownFields(obj: { apiVersion: string; kind: string }): string[] {
    const root = this.roots.get(`${obj.apiVersion}/${obj.kind}`);
    if (!root) return [];
    const out: string[] = [];
    this.walk(obj, root, '', out);
    return out;
  }

  hasKind(apiVersion: string, kind: string): boolean {
    return Boolean(this.roots.get(`${apiVersion}/${kind}`));
  }

  private walk(value: unknown, type: ts.Type, path: string, out: string[]): void {
    if (value === null || value === undefined) return;
    const t = this.checker.getNonNullableType(type);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (t.isUnion()) {
      // e.g. IntOrString: only descend when exactly one member is an object type.
      const objects = t.types.filter((m) => m.flags & ts.TypeFlags.Object);
      if (objects.length === 1 && typeof value === 'object')
        this.walk(value, objects[0] as ts.Type, path, out);
      return;
    }
    if (Array.isArray(value)) {
      if (this.checker.isArrayType(t)) {
        const [el] = this.checker.getTypeArguments(t as ts.TypeReference);
        if (el) for (const [i, v] of value.entries()) this.walk(v, el, `${path}[${i}]`, out);
      }
      return;
    }
    if (typeof value !== 'object' || !(t.flags & ts.TypeFlags.Object)) return;
    const props = t.getProperties();
    const index = this.checker.getIndexInfosOfType(t);
    if (props.length === 0) {
      const info = index[0];
      if (info) for (const [k, v] of Object.entries(value)) this.walk(v, info.type, `${path}.${k}`, out);
      return;
    }
    const byName = new Map(props.map((p) => [p.name, p]));
    for (const [k, v] of Object.entries(value)) {
      const p = byName.get(k);
      if (!p) {
        if (index.length === 0) out.push(`${path}.${k}`.replace(/^\./, ''));
        continue;
      }
      this.walk(v, this.checker.getTypeOfSymbol(p), `${path}.${k}`, out);
    }
  }
}
