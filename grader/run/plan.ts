/**
 * The plan of one vitest run, written by the grader to a fresh directory and read by `vitest.config.ts` in the
 * child. One plan = one vitest process; each project is one set of test files under one set of resolve conditions
 * (a grading mode).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** The environment variable that carries the plan's path into the vitest child. */
export const PLAN_ENV = "KATA_RUN_PLAN";

export const ProjectPlan = z.object({
  /** `solo:01`, `reference`, ...: also the key under which the reporter files its results */
  name: z.string().min(1),
  /** resolve conditions, e.g. every `kata-ref-NN` but the chapter graded */
  conditions: z.array(z.string()),
  /** test files, relative to the root */
  files: z.array(z.string()).min(1),
});
export type ProjectPlan = z.infer<typeof ProjectPlan>;

export const RunPlan = z.object({
  /** the workbook the tests run in (the repository, or a temporary workspace for a submission) */
  root: z.string(),
  /** a fresh directory: the reporter's `results.ndjson` and the forks' `phases-<pid>.ndjson` go here */
  runDir: z.string(),
  projects: z.array(ProjectPlan).min(1),
  /** vitest's per-test timeout: ends a test awaiting something that never happens */
  testTimeoutMs: z.int().positive(),
  /** the watchdog's limit: a fork whose main thread is blocked this long is killed */
  hardMs: z.int().positive(),
  /** the forks' heap cap */
  heapMb: z.int().positive(),
  maxWorkers: z.int().positive(),
});
export type RunPlan = z.infer<typeof RunPlan>;

export function readPlan(path: string): RunPlan {
  return RunPlan.parse(JSON.parse(readFileSync(path, "utf8")));
}
