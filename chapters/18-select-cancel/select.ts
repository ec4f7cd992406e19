/**
 * `select` (Tokio's `macros/select.rs`): wait on several futures, take the first that completes, drop the rest.
 *
 *     const out = yield* select([
 *       branch(rx.recv(), (msg) => ({ kind: "msg", msg }), { match: (m) => m !== undefined }),
 *       branch(sleep(1_000), () => ({ kind: "idle" })),
 *       branch(token.cancelled(), () => ({ kind: "stop" }), { if: !draining }),
 *     ], { else: () => ({ kind: "closed" }) });
 *
 * A function instead of a macro: each `branch` is a future, a handler for its output, a precondition (`if`, Rust's
 * `, if cond`) and a pattern (`match`, Rust's `Some(v) = ...`: a predicate on the output). Every poll:
 *
 *     budget spent?            -> Pending (the wake is deferred): budget-aware branches would yield anyway
 *     start = biased ? 0 : threadRngN(branches)          a new random start on every poll
 *     for each branch from start, wrapping:  skip if disabled; poll it
 *         Pending                  -> remember that something is still pending
 *         ready, pattern fails     -> disable it (its output is dropped) and go on
 *         ready, pattern holds     -> dispose every other unfinished future, then return handler(output)
 *     none pending                 -> every branch is disabled: the else handler, or an Error
 *
 * Invariants: a branch disabled by its precondition is never polled; a branch is polled again only while it is
 * pending; the losers are disposed exactly once, before the winner's handler runs (Tokio drops the futures before
 * the handler's block); if a branch's poll throws, every unfinished future is disposed and the error propagates
 * (a panic unwinding through `select!` drops them all); disposing the select disposes every unfinished future.
 *
 * Tasks 1 and 2 of the lesson (`Branch`, `branch` and the constants are given).
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";

/** Tokio's `select!` supports up to 64 branches (its disabled set is a `u64` bitmask). */
export const MAX_BRANCHES = 64;
export const ALL_DISABLED_ERROR = "all branches are disabled and there is no else branch";
export const TOO_MANY_BRANCHES_ERROR = "up to 64 branches supported";
export const NO_BRANCHES_ERROR = "select! requires at least one branch.";

export interface BranchOptions<T> {
  /** The precondition: `false` disables the branch before it is ever polled. Default `true`. */
  if?: boolean;
  /** The pattern: an output for which it returns `false` does not win; the branch is disabled instead. */
  match?: (value: T) => boolean;
}

export interface SelectOptions<R> {
  /** Poll the branches in the order given, every time, instead of from a random start. */
  biased?: boolean;
  /** Runs when every branch is disabled; without it, that case throws `ALL_DISABLED_ERROR`. */
  else?: () => R;
}

/** One arm of a `select`: a future, what to do with its output, and when it may win. Given. */
export class Branch<R> {
  constructor(
    readonly future: Future<unknown>,
    readonly handler: (value: unknown) => R,
    readonly enabled: boolean,
    readonly pattern: ((value: unknown) => boolean) | undefined,
  ) {}
}

/** Given. */
export function branch<T, R>(future: Future<T>, handler: (value: T) => R, options: BranchOptions<T> = {}): Branch<R> {
  return new Branch(
    future,
    handler as (value: unknown) => R,
    options.if ?? true,
    options.match as ((value: unknown) => boolean) | undefined,
  );
}

export class Select<R> extends FutureBase<R> {
  // Sketch: the branches, `biased`, the else handler, a state per branch (enabled; disabled, to dispose when the
  // select ends; completed, nothing to dispose) and a "done" flag.

  /**
   * Throws `RangeError(TOO_MANY_BRANCHES_ERROR)` for more than `MAX_BRANCHES` branches, and
   * `TypeError(NO_BRANCHES_ERROR)` for none without an else. Branches whose precondition is false start disabled.
   */
  constructor(branches: readonly Branch<R>[], options: SelectOptions<R> = {}) {
    super();
    todo("18-select-cancel", "Select.constructor");
  }

  /**
   * See the module comment. No branches (only an else): the else handler, at once. Polling a finished select throws
   * an `Error` ("`select` polled after completion").
   */
  poll(cx: Context): Poll<R> {
    return todo("18-select-cancel", "Select.poll");
  }

  /** Disposes every future that has not completed (once); nothing if the select is over. */
  [Symbol.dispose](): void {
    todo("18-select-cancel", "Select[Symbol.dispose]");
  }
}

/** Waits for the first branch whose output matches; see the module comment. */
export function select<R>(branches: readonly Branch<R>[], options: SelectOptions<R> = {}): Select<R> {
  return todo("18-select-cancel", "select");
}
