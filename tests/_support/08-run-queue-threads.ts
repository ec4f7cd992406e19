/**
 * Chapter 08's real threads: starts `worker_threads` that run TypeScript, and collects what they report.
 *
 * Each worker runs its TypeScript entry through `#kit/ts-worker`, and inherits this process's `--conditions`, so
 * `#kata/08-run-queue` resolves in it as it does in the test (the learner's chapter in solo mode). A worker starts in about 150 ms: the caller waits for every "ready" before it lets them
 * work, and never blocks its own thread (it only awaits).
 *
 * Protocol: a worker posts `{ kind: "ready" }`, then `{ kind: "done", report }` or `{ kind: "error", message }`.
 */
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "#kit/ts-worker";

export type WorkerMessage<R> = { kind: "ready" } | { kind: "done"; report: R } | { kind: "error"; message: string };

export interface Thread<R> {
  readonly worker: Worker;
  /** Settles when the worker is ready to work (it rejects if the worker fails first). */
  readonly ready: Promise<void>;
  /** Settles with the worker's report (it rejects with the worker's error). */
  readonly done: Promise<R>;
}

/** Starts a worker thread running `entry` with `data` as its `workerData`. */
export function startThread<R>(entry: URL, data: Record<string, unknown>): Thread<R> {
  const worker = startTsWorker(entry, data);
  let onReady!: () => void;
  let onDone!: (r: R) => void;
  let onError!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onError = (e) => {
      reject(e);
      rejectDone(e);
    };
  });
  let rejectDone!: (e: Error) => void;
  const done = new Promise<R>((resolve, reject) => {
    onDone = resolve;
    rejectDone = reject;
  });
  // Either promise may be the one nobody awaits when the other rejects first.
  ready.catch(() => {});
  done.catch(() => {});
  worker.on("message", (m: WorkerMessage<R>) => {
    if (m.kind === "ready") onReady();
    else if (m.kind === "done") onDone(m.report);
    else onError(new Error(m.message));
  });
  worker.on("error", (e) => onError(e instanceof Error ? e : new Error(String(e))));
  worker.on("exit", (code) => onError(new Error(`worker exited with code ${code} before reporting`)));
  return { worker, ready, done };
}
