/**
 * `Handle` (Tokio's `runtime/handle.rs`): a cheap reference to a runtime, usable from inside and outside it.
 *
 * - `Handle.current()` is the runtime whose context is set: inside a task poll, inside `Handle.enter()`;
 *   anywhere else it throws the error Tokio panics with;
 * - `spawn` from a worker of this runtime schedules locally; from anywhere else it goes through the inject
 *   queue and unparks the runtime (that choice is the scheduler's: `inner.spawn`);
 * - `enter()` sets this runtime as current until the guard is disposed (guards must be disposed in reverse order).
 *
 * Task 2 of the lesson. The runtime context is `CONTEXT` from `#kit/context`.
 */
import type { Future } from "#kata/01-poll";
import type { JoinHandle } from "#kata/06-task";
import type { BlockingPool } from "#kata/14-blocking";
import { todo } from "#kit/todo";
import type { DriverHandle } from "./driver.ts";
import type { RuntimeMetrics } from "./metrics.ts";

export type RuntimeFlavor = "current_thread" | "multi_thread";

/** What a scheduler gives its `Handle` (Tokio's `scheduler::Handle`): one per flavour. */
export interface SchedulerHandle {
  readonly flavor: RuntimeFlavor;
  readonly driver: DriverHandle;
  spawn<T>(future: Future<T>, id: number): JoinHandle<T>;
  /** `Handle.blockOn`: runs `future` to completion, driving the runtime if no one else is. */
  blockOn<T>(future: Future<T>): Promise<T>;
  metrics(): RuntimeMetrics;
}

export const NO_RUNTIME =
  "there is no reactor running, must be called from the context of a Tokio 1.x runtime";
export const RUNTIME_IN_RUNTIME =
  "Cannot start a runtime from within a runtime. This happens because a function (like `blockOn`) attempted " +
  "to block the current thread while the thread is being used to drive asynchronous tasks.";

export class Handle {
  constructor(
    readonly inner: SchedulerHandle,
    readonly blockingPool: BlockingPool,
  ) {}

  /** The current runtime (`CONTEXT.handle`); throws `NO_RUNTIME` outside of one. */
  static current(): Handle {
    return todo("07-current-thread", "Handle.current");
  }

  /** The current runtime, or null outside of one. */
  static tryCurrent(): Handle | null {
    return todo("07-current-thread", "Handle.tryCurrent");
  }

  /** The driver handle (`inner.driver`): what resources reach through `Handle.current().driver`. */
  get driver(): DriverHandle {
    return todo("07-current-thread", "Handle.driver");
  }

  runtimeFlavor(): RuntimeFlavor {
    return todo("07-current-thread", "Handle.runtimeFlavor");
  }

  /** Spawns onto this runtime with a fresh task id (`nextTaskId()` from chapter 06). */
  spawn<T>(future: Future<T>): JoinHandle<T> {
    return todo("07-current-thread", "Handle.spawn");
  }

  /** Runs `future` on this runtime from outside it; throws `RUNTIME_IN_RUNTIME` (synchronously) inside a runtime. */
  blockOn<T>(future: Future<T>): Promise<T> {
    return todo("07-current-thread", "Handle.blockOn");
  }

  /** Makes this runtime current until the guard is disposed. */
  enter(): EnterGuard {
    return todo("07-current-thread", "Handle.enter");
  }

  metrics(): RuntimeMetrics {
    return todo("07-current-thread", "Handle.metrics");
  }
}

/**
 * Created by `enter()`: remembers the handle that was current and makes its own current. Disposing it (once;
 * a second dispose does nothing) puts the previous one back, and throws Tokio's message if its handle is not the
 * current one any more: "`EnterGuard` values dropped out of order. Guards returned by
 * `tokio::runtime::Handle::enter()` must be dropped in the reverse order as they were acquired."
 */
export class EnterGuard implements Disposable {
  constructor(handle: Handle) {
    todo("07-current-thread", "new EnterGuard");
  }

  [Symbol.dispose](): void {
    return todo("07-current-thread", "EnterGuard[Symbol.dispose]");
  }
}

/** Spawns onto the current runtime (`tokio::spawn`); throws `NO_RUNTIME` outside of one. */
export function spawn<T>(future: Future<T>): JoinHandle<T> {
  return todo("07-current-thread", "spawn");
}
