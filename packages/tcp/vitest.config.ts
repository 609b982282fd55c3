import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "tcp",
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    setupFiles: ["../../test/setup/leak-check.ts"],
  },
});
