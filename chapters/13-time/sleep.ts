/**
 * `Sleep` (Tokio's `time/sleep.rs`, with the entry of `runtime/time/entry.rs`): a future that completes at a
 * deadline.
 *
 *     sleep(ms)              deadline = now() + ms (an unrepresentable one becomes ~30 years away)
 *     sleepUntil(deadline)   an instant on the runtime's clock, in ms
 *
 * The runtime's time handle is looked up when the sleep is created (so `sleep` throws outside a runtime, or when
 * time is disabled), but nothing is registered until the first poll: a sleep that is never polled costs the wheel
 * nothing. Each poll spends one unit of the task's budget, and gives it back unless the sleep completes.
 * `reset(deadline)` moves the deadline (a later one lazily, without touching the wheel); `[Symbol.dispose]()`
 * removes the timer from the wheel. A completed sleep stays completed until reset.
 *
 * Invariants: the sleep holds at most one wheel entry; it never completes before the tick of its deadline
 * (deadlines round up to the next millisecond).
 *
 * Task 3 of the lesson. `FAR_FUTURE_MS`, `toDeadline` and `checkDuration` are given.
 */
import { FutureBase, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import type { Clock } from "./clock.ts";
import type { TimeHandle } from "./handle.ts";

/** How far away a deadline that cannot be represented is put (Tokio's `Instant::far_future`: about 30 years). */
export const FAR_FUTURE_MS = 30 * 365 * 86_400_000;

/**
 * An instant as a deadline: a RangeError for NaN; an instant that is not finite becomes about 30 years from
 * `clock.now()` (Tokio's `checked_add(..).unwrap_or(far_future)`).
 */
export function toDeadline(instant: number, clock: Clock): number {
  if (Number.isNaN(instant)) throw new RangeError("a deadline must be an instant in ms, got NaN");
  return Number.isFinite(instant) ? instant : clock.now() + FAR_FUTURE_MS;
}

/** Throws a RangeError unless `ms` is a duration: a number >= 0 (Infinity allowed). */
export function checkDuration(ms: number, what: string): void {
  if (!(ms >= 0)) throw new RangeError(`${what} must be a duration in ms >= 0, got ${ms}`);
}

export class Sleep extends FutureBase<void> {
  // Sketch: the time handle, the deadline, and the wheel entry (a `TimerShared`, created on the first poll).

  /** A sleep until instant `deadline` on `handle`'s clock (see `toDeadline`). */
  constructor(handle: TimeHandle, deadline: number) {
    super();
    todo("13-time", "Sleep.constructor");
  }

  /** The instant at which the sleep completes. */
  deadline(): number {
    return todo("13-time", "Sleep.deadline");
  }

  /** True once the timer has fired (false before the first poll registers it). */
  isElapsed(): boolean {
    return todo("13-time", "Sleep.isElapsed");
  }

  /** Moves the deadline, registering the timer now if it was not yet (a completed sleep becomes pending again). */
  reset(deadline: number): void {
    todo("13-time", "Sleep.reset");
  }

  /** Moves the deadline and drops the timer: it registers again on the next poll (used by `Interval`). */
  resetWithoutTimer(deadline: number): void {
    todo("13-time", "Sleep.resetWithoutTimer");
  }

  poll(cx: Context): Poll<void> {
    return todo("13-time", "Sleep.poll");
  }

  /** Removes the timer from the wheel. */
  [Symbol.dispose](): void {
    todo("13-time", "Sleep[Symbol.dispose]");
  }
}

/** A sleep of `ms` milliseconds on the current runtime's clock (`tokio::time::sleep`). */
export function sleep(ms: number): Sleep {
  return todo("13-time", "sleep");
}

/** A sleep until `deadline`, an instant on the current runtime's clock (`tokio::time::sleep_until`). */
export function sleepUntil(deadline: number): Sleep {
  return todo("13-time", "sleepUntil");
}
