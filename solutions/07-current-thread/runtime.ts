/**
 * `Runtime` (Tokio's `runtime/runtime.rs`): a scheduler, its driver stack, and a blocking pool.
 *
 * - `blockOn(future)` drives the runtime until `future` completes; the promise settles with its output;
 * - `spawn` starts a task; `handle()` and `enter()` give access to it from elsewhere;
 * - `shutdown()` (also `[Symbol.dispose]`, so `using rt = ...` works) drops every task's future; their
 *   JoinHandles report cancelled. The blocking pool is told to stop; `shutdownTimeout(ms)` also waits (up to `ms`)
 *   for its running jobs, which JavaScript cannot do synchronously, and `shutdownBackground()` does not wait.
 */
import type { Future } from "#kata/01-poll";
import type { JoinHandle } from "#kata/06-task";
import type { BlockingPool } from "#kata/14-blocking";
import { CONTEXT } from "#kit/context";
import { RUNTIME_IN_RUNTIME, type EnterGuard, type Handle } from "./handle.ts";
import type { RuntimeMetrics } from "./metrics.ts";

/** What a runtime needs of its scheduler (one per flavour). */
export interface Scheduler {
  blockOn<T>(future: Future<T>): Promise<T>;
  /** Drops every task; throws if a `blockOn` is still running. */
  shutdown(): void;
  isShutdown(): boolean;
}

export class Runtime implements Disposable {
  readonly #scheduler: Scheduler;
  readonly #handle: Handle;
  readonly #pool: BlockingPool;

  constructor(scheduler: Scheduler, handle: Handle, pool: BlockingPool) {
    this.#scheduler = scheduler;
    this.#handle = handle;
    this.#pool = pool;
  }

  /** Drives the runtime until `future` completes. Throws if called from inside a runtime. */
  blockOn<T>(future: Future<T>): Promise<T> {
    if (CONTEXT.runtimeEntered) throw new Error(RUNTIME_IN_RUNTIME);
    return this.#scheduler.blockOn(future);
  }

  spawn<T>(future: Future<T>): JoinHandle<T> {
    return this.#handle.spawn(future);
  }

  handle(): Handle {
    return this.#handle;
  }

  enter(): EnterGuard {
    return this.#handle.enter();
  }

  metrics(): RuntimeMetrics {
    return this.#handle.metrics();
  }

  isShutdown(): boolean {
    return this.#scheduler.isShutdown();
  }

  /** Drops every task and tells the blocking pool to stop, without waiting for its running jobs. */
  shutdown(): void {
    this.#scheduler.shutdown();
    void this.#pool.shutdown(0);
  }

  /** Like `shutdown`, then waits up to `ms` for running blocking jobs. */
  async shutdownTimeout(ms: number): Promise<void> {
    this.#scheduler.shutdown();
    await this.#pool.shutdown(ms);
  }

  shutdownBackground(): void {
    this.shutdown();
  }

  [Symbol.dispose](): void {
    this.shutdown();
  }
}
