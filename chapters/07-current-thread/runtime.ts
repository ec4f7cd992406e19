/**
 * `Runtime` (Tokio's `runtime/runtime.rs`): a scheduler, its driver stack, and a blocking pool.
 *
 * - `blockOn(future)` drives the runtime until `future` completes; the promise settles with its output;
 * - `spawn` starts a task; `handle()` and `enter()` give access to it from elsewhere;
 * - `shutdown()` (also `[Symbol.dispose]`, so `using rt = ...` works) drops every task's future; their
 *   JoinHandles report cancelled. The blocking pool is told to stop; `shutdownTimeout(ms)` also waits (up to `ms`)
 *   for its running jobs, which JavaScript cannot do synchronously, and `shutdownBackground()` does not wait.
 *
 * Task 2 (blockOn, spawn, handle, enter, metrics) and Task 5 (the shutdown methods) of the lesson.
 */
import type { Future } from "#kata/01-poll";
import type { JoinHandle } from "#kata/06-task";
import type { BlockingPool } from "#kata/14-blocking";
import { todo } from "#kit/todo";
import type { EnterGuard, Handle } from "./handle.ts";
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

  /** Drives the runtime until `future` completes. Throws `RUNTIME_IN_RUNTIME` (synchronously) inside a runtime. */
  blockOn<T>(future: Future<T>): Promise<T> {
    return todo("07-current-thread", "Runtime.blockOn");
  }

  /** `handle().spawn(future)`. */
  spawn<T>(future: Future<T>): JoinHandle<T> {
    return todo("07-current-thread", "Runtime.spawn");
  }

  /** The runtime's handle (always the same object). */
  handle(): Handle {
    return todo("07-current-thread", "Runtime.handle");
  }

  /** `handle().enter()`. */
  enter(): EnterGuard {
    return todo("07-current-thread", "Runtime.enter");
  }

  metrics(): RuntimeMetrics {
    return todo("07-current-thread", "Runtime.metrics");
  }

  isShutdown(): boolean {
    return todo("07-current-thread", "Runtime.isShutdown");
  }

  /** Drops every task (the scheduler's shutdown) and tells the blocking pool to stop, without waiting. */
  shutdown(): void {
    return todo("07-current-thread", "Runtime.shutdown");
  }

  /** Like `shutdown`, then waits up to `ms` for running blocking jobs (`pool.shutdown(ms)`). */
  async shutdownTimeout(ms: number): Promise<void> {
    return todo("07-current-thread", "Runtime.shutdownTimeout");
  }

  /** `shutdown()`: the blocking pool's running jobs are left to finish in the background. */
  shutdownBackground(): void {
    return todo("07-current-thread", "Runtime.shutdownBackground");
  }

  [Symbol.dispose](): void {
    return todo("07-current-thread", "Runtime[Symbol.dispose]");
  }
}
