/**
 * The vitest configuration of `kata ui`: the public examples of the chapters named in `KATA_UI_CHAPTERS`, one
 * project per chapter in solo mode (the learner's chapter over the reference of the others, as graded), with the
 * grader's watchdog (a `while (true) {}` ends the fork, not the UI). Only the learner's own files appear in the UI:
 * the hidden suites are never loaded, so their code is never shown. Nothing is graded here, so the integrity setup
 * (and its canary tests) is left out.
 */
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { conditionsFor } from "../../kit/modes.ts";
import { phasePlugin } from "../run/phase-plugin.ts";

const root = process.env.KATA_ROOT ?? process.cwd();
const chapters = (process.env.KATA_UI_CHAPTERS ?? "").split(",").filter((c) => c !== "");
const here = (name: string) => new URL(name, import.meta.url).pathname;

export default defineConfig({
  root,
  plugins: [phasePlugin(root)],
  test: {
    projects: chapters.map((id) => ({
      extends: true as const,
      ssr: { resolve: { conditions: [...conditionsFor({ kind: "solo", chapter: id.slice(0, 2) }), ...defaultServerConditions] } },
      test: { name: `${id} (solo:${id.slice(0, 2)})`, include: [`chapters/${id}/*.example.test.ts`] },
    })),
    pool: "forks",
    isolate: true,
    maxWorkers: 2,
    testTimeout: 5_000,
    execArgv: ["--max-old-space-size=512"],
    setupFiles: [here("../run/watchdog-setup.ts")],
  },
});
