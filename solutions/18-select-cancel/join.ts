/**
 * `join` and `tryJoin` (Tokio's `macros/join.rs` and `macros/try_join.rs`): run futures concurrently in one task.
 *
 *     const [user, posts] = yield* join([fetchUser(id), fetchPosts(id)]);
 *     const [a, b] = yield* tryJoin([mustA(), mustB()]);      // the first error wins; the other is dropped
 *
 * Each child sits in a `MaybeDone`. Every poll polls every child that is not done, starting from a different child
 * each time (the `Rotator`: 0, 1, ..., n-1, 0, ...) unless `biased`, so that a child that spends the whole
 * cooperative budget cannot starve the ones after it. Chapter 02's `join`/`joinAll` always start from the first.
 *
 * - `join` never stops early: it completes when every child has completed. Outputs come back in argument order.
 *   If children threw, it throws the error of the first of them in argument order once all are done, as
 *   `let (a, b) = join!(fa, fb); a?; b?;` does in Rust (errors are values there, and `join!` waits for all).
 * - `tryJoin` completes with the first error a child throws, at once, in the order the children were polled, and
 *   disposes the others (Rust drops them when `try_join!` returns `Err`). Otherwise it is `join`.
 *
 * Invariants: a finished child is never polled again; disposing the join disposes every unfinished child, once;
 * neither spends budget of its own (their children do).
 */
import { FutureBase, Pending, type Future, type Output, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { MaybeDone } from "./maybe-done.ts";

export interface JoinOptions {
  /** Always poll the children in argument order (Tokio's `biased;`). */
  biased?: boolean;
}

/** The outputs of a tuple of futures, as a mutable tuple. */
export type Outputs<F extends readonly Future<unknown>[]> = { -readonly [K in keyof F]: Output<F[K]> };

export class Join<T extends unknown[]> extends FutureBase<T> {
  readonly #children: MaybeDone<unknown>[];
  readonly #biased: boolean;
  readonly #try: boolean;
  /** Tokio's `Rotator`: how many children the next poll skips before it starts. */
  #next = 0;
  #done = false;

  constructor(futures: readonly Future<unknown>[], options: JoinOptions, tryJoin: boolean) {
    super();
    this.#children = futures.map((f) => new MaybeDone(f));
    this.#biased = options.biased ?? false;
    this.#try = tryJoin;
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new Error("`join` polled after completion");
    const children = this.#children;
    const n = children.length;
    const skip = this.#biased ? 0 : this.#numSkip(n);
    let isPending = false;
    for (let i = 0; i < n; i++) {
      const child = children[(skip + i) % n]!;
      if (!child.poll(cx)) {
        isPending = true;
      } else if (this.#try && child.isErr()) {
        this.#throwError(child);
      }
    }
    if (isPending) return Pending;
    const failed = children.find((child) => child.isErr());
    if (failed !== undefined) this.#throwError(failed);
    this.#done = true;
    return children.map((child) => child.takeOutput()) as T;
  }

  /** Completes the join with `failed`'s error; every other child is disposed (an unfinished one, once). */
  #throwError(failed: MaybeDone<unknown>): never {
    this.#done = true;
    const error = failed.takeError();
    this.#disposeChildren();
    throw error;
  }

  #numSkip(n: number): number {
    const skip = this.#next;
    this.#next = skip + 1 === n ? 0 : skip + 1;
    return skip;
  }

  #disposeChildren(): void {
    for (const child of this.#children) child[Symbol.dispose]();
  }

  [Symbol.dispose](): void {
    if (this.#done) return;
    this.#done = true;
    this.#disposeChildren();
  }
}

/** Waits for every future; their outputs in argument order. See the module comment for errors. */
export function join<const F extends readonly Future<unknown>[]>(futures: F, options: JoinOptions = {}): Join<Outputs<F>> {
  return new Join<Outputs<F>>(futures, options, false);
}

/** Waits for every future, or for the first error (the others are disposed). */
export function tryJoin<const F extends readonly Future<unknown>[]>(futures: F, options: JoinOptions = {}): Join<Outputs<F>> {
  return new Join<Outputs<F>>(futures, options, true);
}
