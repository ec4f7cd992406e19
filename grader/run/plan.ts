/**
 * The plan of one vitest run: one vitest process, in which each project is one set of test files under one set
 * of resolve conditions (a grading mode).
 *
 * The grader writes it to the child's stdin and `vitest.config.ts` reads it from there, so the results directory
 * is named nowhere a test fork can look (not in an environment variable, not in a file, not on a command line).
 */
import { readSync } from "node:fs";
import { z } from "zod";

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
  /** a fresh directory for the reporter's `results.ndjson`, known only to the grader and the vitest main process */
  resultsDir: z.string(),
  /** a fresh directory for the forks' `phases-<pid>.ndjson` */
  phasesDir: z.string(),
  projects: z.array(ProjectPlan).min(1),
  /** vitest's per-test timeout: ends a test awaiting something that never happens */
  testTimeoutMs: z.int().positive(),
  /** the watchdog's limit: a fork whose main thread is blocked this long is killed */
  hardMs: z.int().positive(),
  /** the forks' heap cap */
  heapMb: z.int().positive(),
  /** the forks' resident memory cap (buffers and typed arrays live outside the heap), enforced by the watchdog */
  memMb: z.int().positive().optional(),
  /**
   * where the reporter sends its records: `ipc`, the channel to the grader that spawned vitest (no path a test fork
   * could find or write: a grading run), or `file` (default), `results.ndjson` in `resultsDir` (a warm host of watch
   * mode, on the learner's own machine)
   */
  channel: z.enum(["ipc", "file"]).optional(),
  maxWorkers: z.int().positive(),
  /**
   * a fresh fork for each test file (default), or forks shared by the files of a project, whose modules then
   * share one instance: only for code this repository vouches for (`kata verify`'s reference and pristine stubs),
   * never for code graded. The setup files run again for each file and find their locks and watchdog in place.
   */
  isolate: z.boolean().optional(),
  /**
   * where vitest keeps the modules it transformed between runs (its `experimental.fsModuleCache`, keyed by each
   * file's path and content and by the run's configuration); absent: transform everything afresh
   */
  moduleCache: z.string().optional(),
  /** tests not to run, as `<file>\0<full name>`: culprits of an earlier run whose fork they stopped */
  skip: z.array(z.string()).optional(),
  /**
   * tests to run, as `<file>\0<full name>`: in a file named here every other test is skipped (its canary runs);
   * the bug corpus's named check runs each bug's one test so
   */
  only: z.array(z.string()).optional(),
});
export type RunPlan = z.infer<typeof RunPlan>;

const KEY = Symbol.for("kata.plan");

/** The plan on stdin (read once per process: the config may be evaluated more than once). */
export function readPlan(): RunPlan {
  const globals = globalThis as unknown as Record<symbol, RunPlan | undefined>;
  return (globals[KEY] ??= RunPlan.parse(JSON.parse(readStdinToEnd())));
}

/**
 * All of stdin, synchronously. `readFileSync(0)` is not enough: once anything in the process has opened
 * `process.stdin`, the pipe is non-blocking and a read before the grader's write lands fails with EAGAIN
 * (seen in CI). Such a read is retried after a short sleep until the grader closes the pipe.
 */
function readStdinToEnd(): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(nap, 0, 0, 5);
      continue;
    }
    if (n === 0) return Buffer.concat(chunks).toString("utf8");
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
}
