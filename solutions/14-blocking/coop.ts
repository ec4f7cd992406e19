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
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { CONTEXT } from "#kit/context";

export const INITIAL_BUDGET = 128;

/** `-1` stands for Rust's `Budget(None)`: unconstrained. */
const UNCONSTRAINED = -1;
let current = UNCONSTRAINED;

/** The budget as it was before a successful `pollProceed`; hand it to `restore` if the poll turns out pending. */
export type RestoreOnPending = number & { readonly __restoreOnPending: unique symbol };

/** Runs `f` with a fresh budget of 128 units (one task poll), then puts the previous budget back. */
export function budget<R>(f: () => R): R {
  return withBudget(INITIAL_BUDGET, f);
}

/** Runs `f` with no budget at all (`task::unconstrained`, blocking code), then puts the previous budget back. */
export function withUnconstrained<R>(f: () => R): R {
  return withBudget(UNCONSTRAINED, f);
}

function withBudget<R>(value: number, f: () => R): R {
  const prev = current;
  current = value;
  try {
    return f();
  } finally {
    current = prev;
  }
}

/**
 * Spends one unit. Returns `Pending` (after deferring `cx.waker`) when the budget is exhausted; otherwise a token
 * that `restore` turns back into the unit if the caller ends up returning `Pending`.
 */
export function pollProceed(cx: Context): Poll<RestoreOnPending> {
  const before = current;
  if (before === UNCONSTRAINED) return UNCONSTRAINED as RestoreOnPending;
  if (before === 0) {
    defer(cx);
    return Pending;
  }
  current = before - 1;
  if (current === 0) CONTEXT.scheduler?.incBudgetForcedYieldCount();
  return before as RestoreOnPending;
}

/** Gives back the unit spent by the `pollProceed` that returned `token` (the caller made no progress). */
export function restore(token: RestoreOnPending): void {
  if (token !== UNCONSTRAINED) current = token;
}

/** Like `pollProceed`, but spends nothing: `Pending` (and a deferred wake) only if the budget is exhausted. */
export function pollBudgetAvailable(cx: Context): Poll<void> {
  if (current !== 0) return undefined;
  defer(cx);
  return Pending;
}

/** True unless a budget is installed and spent. */
export function hasBudgetRemaining(): boolean {
  return current !== 0;
}

/** The units left in the current poll, or `undefined` when unconstrained. */
export function budgetRemaining(): number | undefined {
  return current === UNCONSTRAINED ? undefined : current;
}

/** Removes the budget for the rest of this poll (`coop::stop`, used by blocking code); returns what was left. */
export function stop(): number | undefined {
  const left = budgetRemaining();
  current = UNCONSTRAINED;
  return left;
}

/** Asks the running scheduler to wake this task after its next driver turn; with no scheduler, wakes it now. */
function defer(cx: Context): void {
  const scheduler = CONTEXT.scheduler;
  if (scheduler !== null) scheduler.defer(cx.waker);
  else cx.waker.wakeByRef();
}

class YieldNow extends FutureBase<void> {
  #yielded = false;

  poll(cx: Context): Poll<void> {
    if (this.#yielded) return undefined;
    this.#yielded = true;
    defer(cx);
    return Pending;
  }
}

/** Returns `Pending` once (its wake deferred past the driver's turn), then ready: lets the others run. */
export function yieldNow(): Future<void> {
  return new YieldNow();
}

class ConsumeBudget extends FutureBase<void> {
  poll(cx: Context): Poll<void> {
    return pollProceed(cx) === Pending ? Pending : undefined;
  }
}

/** Spends one unit of budget, yielding first if there is none: a checkpoint for CPU-heavy loops. */
export function consumeBudget(): Future<void> {
  return new ConsumeBudget();
}

class Unconstrained<T> extends FutureBase<T> {
  constructor(readonly inner: Future<T>) {
    super();
  }

  poll(cx: Context): Poll<T> {
    return withUnconstrained(() => this.inner.poll(cx));
  }

  [Symbol.dispose](): void {
    this.inner[Symbol.dispose]?.();
  }
}

/** Polls `inner` with no budget, so it is never forced to yield (`task::unconstrained`). */
export function unconstrained<T>(inner: Future<T>): Future<T> {
  return new Unconstrained(inner);
}
