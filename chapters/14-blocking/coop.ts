/**
 * Cooperative scheduling: the task budget (Tokio's `task/coop/mod.rs`).
 *
 * A task that keeps finding its resources ready would never return `Pending` and would hold its worker forever.
 * So every task poll runs under a budget of 128 units, and every runtime resource spends one unit each time it
 * is about to return ready. When the budget is gone the resource returns `Pending` even though it could proceed,
 * and defers the task's wake until after the driver has been polled: the task goes to the back of the line, and
 * I/O and timers get their turn.
 *
 * Invariants:
 * - outside `budget(...)` the budget is unconstrained: nothing is counted and nothing is refused;
 * - `budget(f)` installs 128 for the duration of `f` and restores what was there before, even if `f` throws;
 * - `pollProceed` spends one unit and returns a restore token; a resource that then returns `Pending` after all
 *   hands the token to `restore`, so a pending poll costs nothing (Rust's `RestoreOnPending` dropped without
 *   `made_progress`); one that returns ready keeps the spend;
 * - the spend that takes the budget to zero counts one forced yield; the next `pollProceed` refuses and defers.
 *
 * JavaScript has no destructors, so where Rust drops a `RestoreOnPending` guard, our resources call `restore`.
 *
 * Tasks 1 and 2 of the lesson. The budget is one module variable (Tokio keeps it in a thread-local): a number of
 * units, or a value of your choice that stands for "unconstrained" (Rust's `Budget(None)`).
 */
import type { Context } from "#kata/03-waker";
import type { Future, Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

export const INITIAL_BUDGET = 128;

/** The budget as it was before a successful `pollProceed`; hand it to `restore` if the poll turns out pending. */
export type RestoreOnPending = number & { readonly __restoreOnPending: unique symbol };

/** Runs `f` with a fresh budget of 128 units (one task poll), then puts the previous budget back. */
export function budget<R>(f: () => R): R {
  return todo("14-blocking", "budget");
}

/** Runs `f` with no budget at all (`task::unconstrained`, blocking code), then puts the previous budget back. */
export function withUnconstrained<R>(f: () => R): R {
  return todo("14-blocking", "withUnconstrained");
}

/**
 * Spends one unit. Unconstrained: ready, spending nothing. Units left: spend one, and if that leaves zero, count a
 * forced yield (`CONTEXT.scheduler?.incBudgetForcedYieldCount()`); return a token holding the budget as it was.
 * None left: defer the task's wake (see `yieldNow`) and return `Pending`.
 */
export function pollProceed(cx: Context): Poll<RestoreOnPending> {
  return todo("14-blocking", "pollProceed");
}

/** Gives back the unit spent by the `pollProceed` that returned `token` (nothing if it was unconstrained). */
export function restore(token: RestoreOnPending): void {
  return todo("14-blocking", "restore");
}

/** Like `pollProceed`, but spends nothing: `Pending` (and a deferred wake) only if the budget is exhausted. */
export function pollBudgetAvailable(cx: Context): Poll<void> {
  return todo("14-blocking", "pollBudgetAvailable");
}

/** True unless a budget is installed and spent. */
export function hasBudgetRemaining(): boolean {
  return todo("14-blocking", "hasBudgetRemaining");
}

/** The units left in the current poll, or `undefined` when unconstrained. */
export function budgetRemaining(): number | undefined {
  return todo("14-blocking", "budgetRemaining");
}

/** Removes the budget for the rest of this poll (`coop::stop`, used by blocking code); returns what was left. */
export function stop(): number | undefined {
  return todo("14-blocking", "stop");
}

/**
 * Returns `Pending` once, then ready: lets the others run. Its first poll defers the wake: through
 * `CONTEXT.scheduler.defer(cx.waker)` when a scheduler is running, or `cx.waker.wakeByRef()` at once when not
 * (Tokio's `context::defer`). It spends no budget.
 */
export function yieldNow(): Future<void> {
  return todo("14-blocking", "yieldNow");
}

/** Spends one unit of budget (ready), or yields like a refused `pollProceed` when there is none. */
export function consumeBudget(): Future<void> {
  return todo("14-blocking", "consumeBudget");
}

/** Polls `inner` with no budget (`withUnconstrained`), so it is never forced to yield; dropping it drops `inner`. */
export function unconstrained<T>(inner: Future<T>): Future<T> {
  return todo("14-blocking", "unconstrained");
}
