import { defineConfig } from "vitest/config";

// One vitest run covers every workspace, so CI gets one JSON report with one pass/fail count.
export default defineConfig({
  test: {
    projects: ["packages/core", "packages/tcp", "packages/udp", "test", "examples"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
