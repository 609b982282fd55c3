// Every code block of the guide is a runnable file under examples/ (see scripts/embed-examples.mjs);
// this test runs them all, so the documentation cannot rot.
import { describe, it, expect } from "vitest";
import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) yield p;
  }
}

describe("the guide's code blocks", () => {
  it("are identical to their example files", async () => {
    const { stdout } = await run(process.execPath, [
      join(root, "scripts/embed-examples.mjs"),
      "--check",
    ]);
    expect(stdout).toMatch(/example blocks checked/);
  });
});

describe("examples", () => {
  for (const file of files(join(here, "guide"))) {
    it.concurrent(
      relative(root, file),
      async () => {
        // A failed assertion or an uncaught error exits non-zero, which rejects here.
        const { stdout } = await run(process.execPath, ["--import", "tsx", file], {
          cwd: root,
          timeout: 30_000,
        });
        expect(typeof stdout).toBe("string");
      },
      40_000,
    );
  }
});
