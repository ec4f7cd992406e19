/**
 * The vitest configuration Stryker's vitest runner loads inside its sandbox (a temporary copy of the workbook).
 *
 * Reference mode (every `#kata/NN-slug` resolves to `solutions/`), only the hidden suite of the chapter being
 * mutated (`KATA_MUTATE_FILES`, set by stryker.ts). The runner itself forces one worker thread per Stryker process
 * (pool "threads", which rejects `--max-old-space-size` in execArgv, so none is given here) and bails at the first
 * failing test.
 */
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { conditionsFor } from "../../kit/modes.ts";

const files = (process.env.KATA_MUTATE_FILES ?? "").split(",").filter((f) => f !== "");
if (files.length === 0) throw new Error("KATA_MUTATE_FILES is empty: run mutation tests through `npm run mutate -- --chapter NN`");

export default defineConfig({
  ssr: { resolve: { conditions: [...conditionsFor({ kind: "reference" }), ...defaultServerConditions] } },
  test: {
    include: files,
    isolate: true,
    testTimeout: 5_000,
    hookTimeout: 5_000,
    watch: false,
  },
});
