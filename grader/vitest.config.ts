/**
 * The grader's own tests: `npm run test:grader`. Kept apart from the hidden suites' configuration: these tests
 * spawn grading runs of their own, so they get long timeouts and one file at a time for the heavy ones.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["grader/test/**/*.test.ts", "grader/mutate/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 10_000,
  },
});
