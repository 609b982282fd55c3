// The packages as users see them: every entry of each exports map resolves to built code with
// types, nothing else is reachable, and the root exports are explicit (no `export *`).
import { describe, it, expect } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

for (const pkg of ["core", "tcp", "udp"]) {
  describe(`@rendezvous/${pkg}`, () => {
    const dir = join(root, "packages", pkg);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

    it("is an ESM package whose every export has types and built code", () => {
      expect(manifest.type).toBe("module");
      for (const [sub, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
        if (sub === "./package.json") continue;
        const t = target as { types: string; default: string };
        expect(existsSync(join(dir, t.types)), `${sub} types`).toBe(true);
        expect(existsSync(join(dir, t.default)), `${sub} code`).toBe(true);
      }
    });

    it("imports by name and exposes no deep paths", async () => {
      const mod = await import(`@rendezvous/${pkg}`);
      expect(Object.keys(mod).length).toBeGreaterThan(0);
      expect(() => require.resolve(`@rendezvous/${pkg}/dist/index.js`)).toThrow();
      expect(() => require.resolve(`@rendezvous/${pkg}/src/index.ts`)).toThrow();
    });

    it("re-exports by name, never with export *", () => {
      const index = readFileSync(join(dir, "src/index.ts"), "utf8");
      expect(index).not.toMatch(/export \*/);
    });
  });
}
