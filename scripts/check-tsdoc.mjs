#!/usr/bin/env node
// Every export of every package root must carry TSDoc with a summary and an @example: the API
// reference (typedoc) and editors show exactly this text. Exits 1 listing the exports that lack it.
import ts from "typescript";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entries = [
  "packages/core/src/index.ts",
  "packages/core/src/protocol/index.ts",
  "packages/tcp/src/index.ts",
  "packages/udp/src/index.ts",
].map((p) => join(root, p));

const program = ts.createProgram(entries, {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();
const missing = [];
let checked = 0;

for (const entry of entries) {
  const sf = program.getSourceFile(entry);
  if (!sf) {
    missing.push(`${entry}: not found`);
    continue;
  }
  const mod = checker.getSymbolAtLocation(sf);
  for (const exp of checker.getExportsOfModule(mod)) {
    let sym = exp;
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decls = sym.getDeclarations() ?? [];
    // Type-only exports (interfaces, type aliases) need a summary; values also need an @example.
    const isValue = (sym.flags & ts.SymbolFlags.Value) !== 0;
    const docs = decls.flatMap((d) => ts.getJSDocCommentsAndTags(d));
    const text = docs
      .map((d) => (typeof d.comment === "string" ? d.comment : (d.getText?.() ?? "")))
      .join("\n");
    const hasSummary = docs.some(
      (d) =>
        ts.isJSDoc(d) &&
        d.comment &&
        String(
          typeof d.comment === "string" ? d.comment : d.comment.map((c) => c.text).join(""),
        ).trim().length > 0,
    );
    const hasExample = decls.some((d) =>
      ts.getJSDocTags(d).some((t) => t.tagName.text === "example"),
    );
    checked++;
    const where = `${entry.replace(root + "/", "")}: ${exp.name}`;
    if (!hasSummary) missing.push(`${where} has no summary`);
    else if (isValue && !hasExample) missing.push(`${where} has no @example`);
    void text;
  }
}
for (const m of missing) console.error(m);
console.log(`${checked} exports checked, ${missing.length} without TSDoc summary/@example`);
process.exit(missing.length ? 1 : 0);
