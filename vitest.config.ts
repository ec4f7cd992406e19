/**
 * The vitest configuration for hand runs:
 *
 *     npx vitest run chapters/06-task                      # a learner: the public examples on your own chapters
 *     KATA_MODE=solo:06   npx vitest run chapters/06-task  # ... on the reference of every other chapter
 *     KATA_MODE=reference npx vitest run tests/06-task     # authors: the hidden suite against the solutions
 *     KATA_MODE=solo:06   npx vitest run tests/06-task     # against the pristine stubs of chapter 06
 *
 * Without KATA_MODE every chapter is the learner's (integrated): what a learner means by running the tests, and the
 * only mode a student's bundle can have (it has no solutions).
 *
 * The grader (`npm run kata`) builds its own configuration with the same settings plus its integrity layers
 * (grader/run/vitest.config.ts); the grader's own tests have theirs (grader/vitest.config.ts).
 */
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { conditionsFor, parseMode } from "./kit/modes.ts";

const mode = parseMode(process.env.KATA_MODE ?? "integrated");

export default defineConfig({
  ssr: { resolve: { conditions: [...conditionsFor(mode), ...defaultServerConditions] } },
  test: {
    include: ["tests/**/*.test.ts", "chapters/**/*.example.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    isolate: true,
    testTimeout: 5_000,
    execArgv: ["--max-old-space-size=512"],
  },
});
