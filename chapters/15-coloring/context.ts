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
 *
 * Task 1 of the lesson (the messages are given).
 */
import { todo } from "#kit/todo";

export const EXIT_NOT_ENTERED_ERROR = "asked to exit when not entered";
export const PERMANENT_EXECUTOR_ERROR = "closure claimed permanent executor";
export const BLOCKING_IN_RUNTIME_ERROR =
  "Cannot block the current thread from within a runtime. This happens because a function attempted to block the " +
  "current thread while the thread is being used to drive asynchronous tasks.";

/**
 * Runs `f` outside the runtime this stack is driving (Tokio's `context::exit_runtime`): throws
 * `Error(EXIT_NOT_ENTERED_ERROR)` unless `CONTEXT.runtimeEntered` (`#kit/context`); clears it for `f` and sets it back
 * afterwards, also when `f` throws. If `f` returned normally but left the flag set, throw
 * `Error(PERMANENT_EXECUTOR_ERROR)` (after setting it back).
 */
export function exitRuntime<R>(f: () => R): R {
  return todo("15-coloring", "exitRuntime");
}

/** Throws `Error(BLOCKING_IN_RUNTIME_ERROR)` if this stack drives a runtime: call it before blocking the thread. */
export function enterBlockingRegion(): void {
  todo("15-coloring", "enterBlockingRegion");
}
