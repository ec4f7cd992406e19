/**
 * The blocking pool's threads: real `worker_threads`, one job at a time.
 *
 * Given code, not an exercise. A `BlockingThread` runs a job and reports its outcome once; while it runs a job it
 * keeps the process alive, while it waits for work it does not (Tokio's idle threads do not keep `main` from
 * returning either). The pool decides everything else: which job runs where, when an idle thread leaves.
 *
 * Each thread runs `worker-main.ts` through `#kit/ts-worker` (Node 20 does not apply tsx's loader to worker
 * threads by itself); it inherits this process's `--conditions`, so `#kata/...` resolves in it as it does here.
 */
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "#kit/ts-worker";
import type { BlockingJob, JobOutcome } from "./blocking-task.ts";

export interface BlockingThread {
  /** Runs `job`; `done` is called once, with the outcome (or `threadDied` if the thread is gone). */
  run(job: BlockingJob, done: (outcome: JobOutcome) => void): void;
  /** The thread waits for work: it no longer keeps the process alive. */
  unref(): void;
  /** Ends the thread. */
  terminate(): void;
}

/** Starts a thread: the pool's default is a real worker thread; tests pass threads whose jobs they finish. */
export type SpawnThread = () => BlockingThread;

const ENTRY = new URL("./worker-main.ts", import.meta.url);

export class WorkerThread implements BlockingThread {
  readonly #worker: Worker;
  #done: ((outcome: JobOutcome) => void) | null = null;
  #dead = false;

  constructor() {
    this.#worker = startTsWorker(ENTRY);
    this.#worker.unref();
    this.#worker.on("message", (outcome: JobOutcome) => this.#deliver(outcome));
    this.#worker.on("error", (error) => this.#die(error));
    this.#worker.on("exit", (code) => this.#die(new Error(`the blocking thread exited (code ${code}) while running a job`)));
  }

  run(job: BlockingJob, done: (outcome: JobOutcome) => void): void {
    if (this.#dead) {
      done({ ok: false, error: new Error("the blocking thread is gone"), threadDied: true });
      return;
    }
    this.#done = done;
    this.#worker.ref();
    this.#worker.postMessage(job);
  }

  unref(): void {
    this.#worker.unref();
  }

  terminate(): void {
    this.#dead = true;
    void this.#worker.terminate();
  }

  #deliver(outcome: JobOutcome): void {
    const done = this.#done;
    this.#done = null;
    done?.(outcome);
  }

  #die(error: unknown): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#deliver({ ok: false, error, threadDied: true });
  }
}

export const spawnWorkerThread: SpawnThread = () => new WorkerThread();
