/**
 * `Timeout` (Tokio's `time/timeout.rs`): a future with a deadline.
 *
 * Each poll polls the inner future first, so a future that is ready wins even when the deadline has passed;
 * then the delay. If the inner future spent the last unit of the task's budget, the delay is polled without a
 * budget, so that a busy inner future cannot keep the timeout from ever firing (Tokio does the same).
 * The output is the inner future's; when the delay wins, `Elapsed` is thrown (Rust's `Err(Elapsed)`).
 *
 * Invariants: the part that lost is disposed as soon as the timeout completes (the delay leaves the wheel; an
 * abandoned inner future is dropped), and disposing the timeout disposes whatever it still holds, once.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { hasBudgetRemaining, withUnconstrained } from "#kata/14-blocking";
import { Elapsed } from "./error.ts";
import { checkDuration, Sleep, sleepUntil } from "./sleep.ts";
import { TimeHandle } from "./handle.ts";

export class Timeout<T> extends FutureBase<T> {
  readonly #value: Future<T>;
  readonly #delay: Sleep;
  #done = false;

  constructor(value: Future<T>, delay: Sleep) {
    super();
    this.#value = value;
    this.#delay = delay;
  }

  /** The inner future. */
  getRef(): Future<T> {
    return this.#value;
  }

  /** The delay's deadline. */
  deadline(): number {
    return this.#delay.deadline();
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new Error("`Timeout` polled after completion");
    const hadBudgetBefore = hasBudgetRemaining();
    let out: Poll<T>;
    try {
      out = this.#value.poll(cx);
    } catch (e) {
      this.#finish(this.#delay);
      throw e;
    }
    if (out !== Pending) {
      this.#finish(this.#delay);
      return out;
    }
    const pollDelay = (): Poll<void> => this.#delay.poll(cx);
    const elapsed = hadBudgetBefore && !hasBudgetRemaining() ? withUnconstrained(pollDelay) : pollDelay();
    if (elapsed === Pending) return Pending;
    this.#finish(this.#value);
    throw new Elapsed();
  }

  [Symbol.dispose](): void {
    if (this.#done) return;
    this.#done = true;
    try {
      this.#value[Symbol.dispose]?.();
    } finally {
      this.#delay[Symbol.dispose]();
    }
  }

  /** Completes the timeout, dropping the part that lost. */
  #finish(loser: Future<unknown>): void {
    this.#done = true;
    loser[Symbol.dispose]?.();
  }
}

/** Runs `future` with a deadline `ms` from now (`tokio::time::timeout`): its output, or `Elapsed` thrown. */
export function timeout<T>(ms: number, future: Future<T>): Timeout<T> {
  checkDuration(ms, "timeout");
  const handle = TimeHandle.current();
  return new Timeout(future, new Sleep(handle, handle.clock.now() + ms));
}

/** Runs `future` with a deadline at instant `deadline` (`tokio::time::timeout_at`). */
export function timeoutAt<T>(deadline: number, future: Future<T>): Timeout<T> {
  return new Timeout(future, sleepUntil(deadline));
}
