/**
 * `MaybeDone` (Tokio's `future/maybe_done.rs`): a future, or its outcome once it has completed.
 *
 * What `join` and `tryJoin` keep per child: polling it again after it completed returns ready at once without
 * touching the finished future (which was let go the moment it completed), and the outcome waits to be taken.
 * Rust's `join!` over fallible futures holds a `Result` per child; ours holds either the output or the error the
 * poll threw (then the future is disposed, as Rust drops a future that failed).
 *
 *     Future(f) ──poll: ready, or threw──► Done(output | error) ──takeOutput() / takeError()──► Gone
 *
 * Invariants: the inner future is polled only in the `Future` state; the outcome is taken once, in `Done`
 * (`takeOutput()` after a success, `takeError()` after a failure); disposing drops an unfinished inner future
 * (once) and forgets the outcome.
 */
import { Pending, type Future } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";

const FUTURE = 0;
const DONE = 1;
const GONE = 2;

export class MaybeDone<T> {
  #state: typeof FUTURE | typeof DONE | typeof GONE = FUTURE;
  #future: Future<T> | null;
  #output: T | undefined = undefined;
  #failed = false;
  #error: unknown = undefined;

  constructor(future: Future<T>) {
    this.#future = future;
  }

  /** Polls the inner future if it is still running; true once it has an outcome (an output or an error). */
  poll(cx: Context): boolean {
    if (this.#state === DONE) return true;
    if (this.#state === GONE) throw new Error("MaybeDone polled after value taken");
    const future = this.#future!;
    let out: T | typeof Pending;
    try {
      out = future.poll(cx);
    } catch (e) {
      this.#future = null;
      this.#failed = true;
      this.#error = e;
      this.#state = DONE;
      future[Symbol.dispose]?.();
      return true;
    }
    if (out === Pending) return false;
    this.#future = null;
    this.#output = out;
    this.#state = DONE;
    return true;
  }

  /** True when the future is done and its poll threw. */
  isErr(): boolean {
    return this.#state === DONE && this.#failed;
  }

  /** The output of a future that completed; it leaves (`Gone`). */
  takeOutput(): T {
    if (this.#state !== DONE || this.#failed) throw new Error("expected completed future");
    const output = this.#output as T;
    this.#output = undefined;
    this.#state = GONE;
    return output;
  }

  /** The error of a future that failed; it leaves (`Gone`). */
  takeError(): unknown {
    if (!this.isErr()) throw new Error("expected failed future");
    const error = this.#error;
    this.#error = undefined;
    this.#state = GONE;
    return error;
  }

  [Symbol.dispose](): void {
    const future = this.#future;
    this.#future = null;
    this.#output = undefined;
    this.#error = undefined;
    this.#state = GONE;
    future?.[Symbol.dispose]?.();
  }
}
