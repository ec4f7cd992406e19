/**
 * Leaving the runtime, and the blocking region (Tokio's `runtime/context/runtime.rs` and `context/blocking.rs`).
 *
 * `CONTEXT.runtimeEntered` (`#kit/context`) says that this stack is driving a runtime: a worker is polling a task, or
 * a `blockOn` is polling its future. Two rules hang on it, both Tokio's panics:
 *
 * - starting a runtime (`Runtime.blockOn`, `Handle.blockOn`) while it is set is an error (chapter 07's
 *   `RUNTIME_IN_RUNTIME`): the thread that should drive the tasks would be stuck waiting;
 * - blocking the thread (a synchronous wait: a blocking client, `Atomics.wait`) while it is set is an error too:
 *   `enterBlockingRegion()` checks it, as Tokio's `future::block_on` does.
 *
 * `exitRuntime(f)` runs `f` with the flag cleared and sets it again afterwards: a blocking section inside a task,
 * which is what `blockInPlace` does once it has made sure the worker's other tasks are not stuck behind it.
 *
 * Invariants: `exitRuntime` is only called while entered; the flag is set again when `f` returns or throws; `f` must
 * not leave the flag set (it would have entered a runtime for good).
 */
import { CONTEXT } from "#kit/context";

export const EXIT_NOT_ENTERED_ERROR = "asked to exit when not entered";
export const PERMANENT_EXECUTOR_ERROR = "closure claimed permanent executor";
export const BLOCKING_IN_RUNTIME_ERROR =
  "Cannot block the current thread from within a runtime. This happens because a function attempted to block the " +
  "current thread while the thread is being used to drive asynchronous tasks.";

/** Runs `f` outside the runtime this stack is driving (Tokio's `context::exit_runtime`). */
export function exitRuntime<R>(f: () => R): R {
  if (!CONTEXT.runtimeEntered) throw new Error(EXIT_NOT_ENTERED_ERROR);
  CONTEXT.runtimeEntered = false;
  let ok = false;
  try {
    const out = f();
    ok = true;
    return out;
  } finally {
    const claimed = CONTEXT.runtimeEntered;
    CONTEXT.runtimeEntered = true;
    // Thrown only if `f` itself succeeded: an error of `f` is the more useful one (Tokio asserts while unwinding).
    if (claimed && ok) throw new Error(PERMANENT_EXECUTOR_ERROR);
  }
}

/** Throws Tokio's error if this stack drives a runtime: call it before blocking the thread. */
export function enterBlockingRegion(): void {
  if (CONTEXT.runtimeEntered) throw new Error(BLOCKING_IN_RUNTIME_ERROR);
}
