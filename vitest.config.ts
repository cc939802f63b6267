import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["codegen/test/**/*.test.ts", "tests/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The JSON report is what .ci/run reads to print its closing "N passed, N failed" line.
    reporters: ["default", "json"],
    outputFile: { json: "build/test-results.json" },
  },
});
