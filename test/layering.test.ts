// Architecture rules that the folder layout promises, checked on the sources:
// - the port layer is platform-neutral (no node:* imports), so ports can run anywhere;
// - core never imports the network packages; the network packages reach core only through its
//   public entry points (no deep imports into core's src or dist).
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function* sources(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (name.endsWith(".ts")) yield p;
  }
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g)].map(
    (m) => m[1]!,
  );
}

describe("layering", () => {
  it("the port layer imports nothing from node:*", () => {
    const offenders = [...sources(join(root, "packages/core/src/port"))].flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith("node:") || ["stream", "net", "fs", "buffer"].includes(i))
        .map((i) => `${relative(root, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it("core does not import the network packages or node:net/node:dgram", () => {
    const offenders = [...sources(join(root, "packages/core/src"))].flatMap((f) =>
      imports(f)
        .filter((i) => /^@rendezvous\/(tcp|udp)/.test(i) || i === "node:net" || i === "node:dgram")
        .map((i) => `${relative(root, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it("tcp and udp use core only through its public entry points", () => {
    const allowed = new Set(["@rendezvous/core", "@rendezvous/core/protocol"]);
    const offenders = ["tcp", "udp"].flatMap((pkg) =>
      [...sources(join(root, "packages", pkg, "src"))].flatMap((f) =>
        imports(f)
          .filter(
            (i) => (i.startsWith("@rendezvous/core") && !allowed.has(i)) || i.includes("core/src"),
          )
          .map((i) => `${relative(root, f)} → ${i}`),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
