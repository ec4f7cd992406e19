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
 *
 * Task 5 of the lesson.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import type { Sleep } from "./sleep.ts";

export class Timeout<T> extends FutureBase<T> {
  // Sketch: the inner future, the delay, a "done" flag.

  constructor(value: Future<T>, delay: Sleep) {
    super();
    todo("13-time", "Timeout.constructor");
  }

  /** The inner future. */
  getRef(): Future<T> {
    return todo("13-time", "Timeout.getRef");
  }

  /** The delay's deadline. */
  deadline(): number {
    return todo("13-time", "Timeout.deadline");
  }

  poll(cx: Context): Poll<T> {
    return todo("13-time", "Timeout.poll");
  }

  [Symbol.dispose](): void {
    todo("13-time", "Timeout[Symbol.dispose]");
  }
}

/** Runs `future` with a deadline `ms` from now (`tokio::time::timeout`): its output, or `Elapsed` thrown. */
export function timeout<T>(ms: number, future: Future<T>): Timeout<T> {
  return todo("13-time", "timeout");
}

/** Runs `future` with a deadline at instant `deadline` (`tokio::time::timeout_at`). */
export function timeoutAt<T>(deadline: number, future: Future<T>): Timeout<T> {
  return todo("13-time", "timeoutAt");
}
