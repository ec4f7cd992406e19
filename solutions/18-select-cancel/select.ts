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
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { pollBudgetAvailable } from "#kata/14-blocking";
import { threadRngN } from "./thread-rng.ts";

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

/** One arm of a `select`: a future, what to do with its output, and when it may win. */
export class Branch<R> {
  constructor(
    readonly future: Future<unknown>,
    readonly handler: (value: unknown) => R,
    readonly enabled: boolean,
    readonly pattern: ((value: unknown) => boolean) | undefined,
  ) {}
}

export function branch<T, R>(future: Future<T>, handler: (value: T) => R, options: BranchOptions<T> = {}): Branch<R> {
  return new Branch(
    future,
    handler as (value: unknown) => R,
    options.if ?? true,
    options.match as ((value: unknown) => boolean) | undefined,
  );
}

const ENABLED = 0;
const DISABLED = 1;
/** Disabled because it completed: nothing left to dispose. */
const COMPLETED = 2;

export class Select<R> extends FutureBase<R> {
  readonly #branches: readonly Branch<R>[];
  readonly #biased: boolean;
  readonly #else: (() => R) | undefined;
  /** Per branch: ENABLED, DISABLED (never polled, or pending when the select ended) or COMPLETED. */
  readonly #state: Uint8Array;
  #done = false;

  constructor(branches: readonly Branch<R>[], options: SelectOptions<R> = {}) {
    super();
    if (branches.length > MAX_BRANCHES) throw new RangeError(TOO_MANY_BRANCHES_ERROR);
    if (branches.length === 0 && options.else === undefined) throw new TypeError(NO_BRANCHES_ERROR);
    this.#branches = branches;
    this.#biased = options.biased ?? false;
    this.#else = options.else;
    this.#state = new Uint8Array(branches.length);
    for (let i = 0; i < branches.length; i++) if (!branches[i]!.enabled) this.#state[i] = DISABLED;
  }

  poll(cx: Context): Poll<R> {
    if (this.#done) throw new Error("`select` polled after completion");
    const branches = this.#branches;
    const n = branches.length;
    if (n === 0) return this.#finish(-1, undefined);
    if (pollBudgetAvailable(cx) === Pending) return Pending;
    const state = this.#state;
    const start = this.#biased ? 0 : threadRngN(n);
    let isPending = false;
    for (let i = 0; i < n; i++) {
      const b = (start + i) % n;
      if (state[b] !== ENABLED) continue;
      const br = branches[b]!;
      let out: unknown;
      try {
        out = br.future.poll(cx);
        if (out === Pending) {
          isPending = true;
          continue;
        }
        state[b] = COMPLETED;
        if (br.pattern !== undefined && !br.pattern(out)) continue;
      } catch (e) {
        this.#disposeUnfinished();
        throw e;
      }
      return this.#finish(b, out);
    }
    if (isPending) return Pending;
    return this.#finish(-1, undefined);
  }

  /** The select is over: drop the futures, then run the winner's handler (or the else branch, `winner` -1). */
  #finish(winner: number, out: unknown): R {
    this.#disposeUnfinished();
    if (winner >= 0) return this.#branches[winner]!.handler(out);
    if (this.#else === undefined) throw new Error(ALL_DISABLED_ERROR);
    return this.#else();
  }

  #disposeUnfinished(): void {
    this.#done = true;
    const state = this.#state;
    for (let i = 0; i < state.length; i++) {
      if (state[i] === COMPLETED) continue;
      state[i] = COMPLETED;
      this.#branches[i]!.future[Symbol.dispose]?.();
    }
  }

  [Symbol.dispose](): void {
    if (!this.#done) this.#disposeUnfinished();
  }
}

/** Waits for the first branch whose output matches; see the module comment. */
export function select<R>(branches: readonly Branch<R>[], options: SelectOptions<R> = {}): Select<R> {
  return new Select(branches, options);
}
