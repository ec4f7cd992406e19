/**
 * `Handle` (Tokio's `runtime/handle.rs`): a cheap reference to a runtime, usable from inside and outside it.
 *
 * - `Handle.current()` is the runtime whose context is set: inside a task poll, inside `Handle.enter()`;
 *   anywhere else it throws the error Tokio panics with;
 * - `spawn` from a worker of this runtime schedules locally; from anywhere else it goes through the inject
 *   queue and unparks the runtime;
 * - `enter()` sets this runtime as current until the guard is disposed (guards must be disposed in reverse order).
 */
import type { Future } from "#kata/01-poll";
import { nextTaskId, type JoinHandle } from "#kata/06-task";
import type { BlockingPool } from "#kata/14-blocking";
import { CONTEXT } from "#kit/context";
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

  /** The current runtime; throws outside of one. */
  static current(): Handle {
    const h = CONTEXT.handle;
    if (h === null) throw new Error(NO_RUNTIME);
    return h;
  }

  /** The current runtime, or null outside of one. */
  static tryCurrent(): Handle | null {
    return CONTEXT.handle;
  }

  get driver(): DriverHandle {
    return this.inner.driver;
  }

  runtimeFlavor(): RuntimeFlavor {
    return this.inner.flavor;
  }

  spawn<T>(future: Future<T>): JoinHandle<T> {
    return this.inner.spawn(future, nextTaskId());
  }

  /** Runs `future` on this runtime from outside it; an error inside a runtime, as in Tokio. */
  blockOn<T>(future: Future<T>): Promise<T> {
    if (CONTEXT.runtimeEntered) throw new Error(RUNTIME_IN_RUNTIME);
    return this.inner.blockOn(future);
  }

  /** Makes this runtime current until the guard is disposed. */
  enter(): EnterGuard {
    return new EnterGuard(this);
  }

  metrics(): RuntimeMetrics {
    return this.inner.metrics();
  }
}

export class EnterGuard implements Disposable {
  readonly #prev: Handle | null;
  readonly #handle: Handle;
  #done = false;

  constructor(handle: Handle) {
    this.#prev = CONTEXT.handle;
    this.#handle = handle;
    CONTEXT.handle = handle;
  }

  [Symbol.dispose](): void {
    if (this.#done) return;
    if (CONTEXT.handle !== this.#handle) {
      throw new Error(
        "`EnterGuard` values dropped out of order. Guards returned by `tokio::runtime::Handle::enter()` must be " +
          "dropped in the reverse order as they were acquired.",
      );
    }
    this.#done = true;
    CONTEXT.handle = this.#prev;
  }
}

/** Spawns onto the current runtime (`tokio::spawn`); throws outside of one. */
export function spawn<T>(future: Future<T>): JoinHandle<T> {
  const h = CONTEXT.handle;
  if (h === null) throw new Error(NO_RUNTIME);
  return h.spawn(future);
}
