/**
 * The runtime context: what Tokio keeps in a thread-local (`tokio/src/runtime/context.rs`).
 *
 * Given code, not an exercise. Rust gives each OS thread its own copy; our runtimes all live on JavaScript's one
 * thread, so a thread-local is a module variable. Whoever changes a field restores it before returning to Node's
 * event loop: a runtime sets these while it drives tasks (a synchronous stretch of code) and clears them before it
 * awaits, so that code Node runs in between (a socket callback, another runtime) sees no runtime.
 *
 * Fields:
 * - `handle`: the runtime that `Handle.current()`, `spawn()`, `sleep()` and the I/O types use;
 * - `scheduler`: the scheduler whose worker is running right now (its defer list and metrics);
 * - `runtimeEntered`: a runtime is driving tasks on this stack; starting another `blockOn` here is an error;
 * - `currentTaskId`: the id of the task being polled (`task.id()`), or `null` between polls.
 */
import type { WakerRef } from "#kata/03-waker";
import type { Handle } from "#kata/07-current-thread";

/** What the running scheduler offers to code inside a task poll (Tokio's `scheduler::Context`). */
export interface SchedulerContext {
  /** The runtime this scheduler belongs to. */
  readonly handle: Handle;
  /** Wakes `waker` after the driver's next turn instead of now (forced yields, `yieldNow`). */
  defer(waker: WakerRef): void;
  /** Counts a poll that ran its budget down to zero (Tokio's `budget_forced_yield_count`). */
  incBudgetForcedYieldCount(): void;
}

export interface RuntimeContext {
  handle: Handle | null;
  scheduler: SchedulerContext | null;
  runtimeEntered: boolean;
  currentTaskId: number | null;
}

export const CONTEXT: RuntimeContext = {
  handle: null,
  scheduler: null,
  runtimeEntered: false,
  currentTaskId: null,
};
