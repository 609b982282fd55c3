#!/usr/bin/env node
// Keeps the guide's code blocks identical to the runnable files under examples/: a block preceded
// by `<!-- example: examples/guide/x/y.ts -->` (and a blank line, as prettier writes it) is replaced with that file's content.
// `--check` changes nothing and exits 1 if a block is stale or a file is missing (CI runs it).
import { readFileSync, writeFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const marker = /<!-- example: (\S+) -->\n\n?```(\w+)\n(?:(?!```)[\s\S])*```/g;

function* markdown(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "api" || name === "node_modules") continue;
    if (statSync(p).isDirectory()) yield* markdown(p);
    else if (name.endsWith(".md")) yield p;
  }
}

let stale = 0;
let blocks = 0;
for (const file of [join(root, "README.md"), ...markdown(join(root, "docs"))]) {
  const text = readFileSync(file, "utf8");
  const next = text.replace(marker, (_m, path, lang) => {
    blocks++;
    const full = join(root, path);
    if (!existsSync(full)) {
      console.error(`${file}: ${path} does not exist`);
      stale++;
      return _m;
    }
    return `<!-- example: ${path} -->\n\n\`\`\`${lang}\n${readFileSync(full, "utf8").trimEnd()}\n\`\`\``;
  });
  if (next !== text) {
    if (check) {
      console.error(
        `${file}: a code block differs from its example file (run: node scripts/embed-examples.mjs)`,
      );
      stale++;
    } else writeFileSync(file, next);
  }
}
console.log(`${blocks} example blocks${check ? " checked" : " embedded"}`);
process.exit(stale ? 1 : 0);
