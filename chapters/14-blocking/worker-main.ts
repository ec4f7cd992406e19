/**
 * The body of a blocking thread (runs inside a worker, never on the runtime's thread).
 *
 * Given code, not an exercise. It receives one job at a time, runs it to the end (awaiting it if it returns a
 * promise: the thread stays busy until then), and posts the outcome back. A function's source is compiled once
 * per thread in the worker's global scope, so it sees only globals and its own arguments.
 */
import { parentPort } from "node:worker_threads";
import type { BlockingJob, JobOutcome } from "./blocking-task.ts";

const port = parentPort!;
const compiled = new Map<string, (...args: unknown[]) => unknown>();

async function runJob(job: BlockingJob): Promise<unknown> {
  if (job.kind === "source") {
    let fn = compiled.get(job.source);
    if (fn === undefined) {
      fn = (0, eval)(`(${job.source})`) as (...args: unknown[]) => unknown;
      if (typeof fn !== "function") throw new TypeError("a blocking job's source must be a function expression");
      compiled.set(job.source, fn);
    }
    return await fn(...job.args);
  }
  const mod = (await import(job.module)) as Record<string, unknown>;
  const fn = mod[job.export];
  if (typeof fn !== "function") throw new TypeError(`${job.module} has no exported function ${JSON.stringify(job.export)}`);
  return await (fn as (...args: unknown[]) => unknown)(...job.args);
}

port.on("message", async (job: BlockingJob) => {
  let outcome: JobOutcome;
  try {
    outcome = { ok: true, value: await runJob(job) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  try {
    port.postMessage(outcome);
  } catch (e) {
    const what = outcome.ok ? "result" : "error";
    const error = new Error(`the blocking job's ${what} cannot be sent back to the runtime: ${(e as Error).message}`);
    port.postMessage({ ok: false, error } satisfies JobOutcome);
  }
});
