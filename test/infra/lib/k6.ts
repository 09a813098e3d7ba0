import ts from 'typescript';

/** k6's built-in modules (a script may import nothing else but relative files and jslib). */
export const K6_MODULES =
  /^(k6|k6\/(http|metrics|crypto|encoding|execution|data|html|net\/grpc|ws|timers|experimental\/[a-z-]+))$/;

export interface ParsedScript {
  file: string;
  diagnostics: string[];
  imports: string[];
  exports: Set<string>;
  hasDefaultFunction: boolean;
}

/** Parse a k6 script as an ES module with TypeScript's parser (the same grammar k6's goja/sobek accepts). */
export function parseK6Script(file: string, text: string): ParsedScript {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const out = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { allowJs: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const diagnostics = (out.diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  const imports: string[] = [];
  const exports = new Set<string>();
  let hasDefaultFunction = false;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier))
      imports.push(st.moduleSpecifier.text);
    const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported && isDefault && ts.isFunctionDeclaration(st)) hasDefaultFunction = true;
    if (exported && ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) exports.add(d.name.text);
    }
    if (exported && ts.isFunctionDeclaration(st) && st.name) exports.add(st.name.text);
  }
  return { file, diagnostics, imports, exports, hasDefaultFunction };
}
