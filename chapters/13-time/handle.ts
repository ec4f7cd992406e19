/**
 * `TimeHandle` (Tokio's `runtime/time/handle.rs` and the handle half of `runtime/time/mod.rs`): the timer wheel
 * as the rest of the runtime reaches it.
 *
 * Timers register (`reregister`) and cancel (`clearEntry`) through the handle; the driver fires them (`process`)
 * when it turns. Registering a timer earlier than the tick the driver plans to wake at (`next_wake`) unparks the
 * driver so that it re-plans its wait. `unpark()` records that something woke the runtime (`didWake`), which the
 * paused clock's auto-advance checks before jumping.
 *
 * Invariants: an entry is in the wheel iff its state is neither deregistered nor fired; `process` fires every
 * entry due at the current tick, in deadline order, waking each waker at once; after shutdown nothing is filed:
 * registering fires at once, and polling a timer throws.
 *
 * Task 2 of the lesson (with `driver.ts`).
 */
import type { TimerShared } from "#kata/12-timer-wheel";
import { todo } from "#kit/todo";
import type { Clock } from "./clock.ts";
import type { TimeSource } from "./source.ts";

export class TimeHandle {
  readonly clock: Clock;
  readonly timeSource: TimeSource;
  // Sketch: the `Wheel`, the driver's unpark function, `nextWake` (a tick or null), the shutdown and did-wake flags.

  /** `unparkDriver` wakes the driver below the time driver (Tokio unparks the I/O stack). */
  constructor(clock: Clock, unparkDriver: () => void) {
    this.clock = clock;
    this.timeSource = todo("13-time", "TimeHandle.constructor");
  }

  /** The time handle of the current runtime; throws Tokio's messages outside a runtime or with time disabled. */
  static current(): TimeHandle {
    return todo("13-time", "TimeHandle.current");
  }

  isShutdown(): boolean {
    return todo("13-time", "TimeHandle.isShutdown");
  }

  /** Notes that the runtime was woken from outside (read by auto-advance). */
  unpark(): void {
    todo("13-time", "TimeHandle.unpark");
  }

  /** Whether the runtime was woken since the last call (clears the flag). */
  didWake(): boolean {
    return todo("13-time", "TimeHandle.didWake");
  }

  /** The wheel's next expiration tick, remembered as the tick the driver will wake at (called as it parks). */
  computeNextWake(): number | undefined {
    return todo("13-time", "TimeHandle.computeNextWake");
  }

  /** Fires every timer due at the clock's current tick. */
  process(): void {
    todo("13-time", "TimeHandle.process");
  }

  /** Fires every timer due at `now` (never before the wheel's elapsed tick), in deadline order. */
  processAtTime(now: number): void {
    todo("13-time", "TimeHandle.processAtTime");
  }

  /**
   * (Re)files `entry` for `tick`. A tick already reached fires it at once; one earlier than the driver's planned
   * wake-up unparks the driver. After shutdown the entry fires at once instead.
   */
  reregister(tick: number, entry: TimerShared): void {
    todo("13-time", "TimeHandle.reregister");
  }

  /** Removes `entry` from the wheel (if it is there) and drops its waker. */
  clearEntry(entry: TimerShared): void {
    todo("13-time", "TimeHandle.clearEntry");
  }

  /** Marks the handle shut down and fires every timer still registered. */
  shutdown(): void {
    todo("13-time", "TimeHandle.shutdown");
  }
}
