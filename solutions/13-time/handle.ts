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
 */
import { MAX_SAFE_MILLIS_DURATION, Wheel, type TimerShared } from "#kata/12-timer-wheel";
import { CONTEXT } from "#kit/context";
import type { Clock } from "./clock.ts";
import { CONTEXT_MISSING_ERROR, TIMERS_DISABLED_ERROR } from "./error.ts";
import { TimeSource } from "./source.ts";

export class TimeHandle {
  readonly clock: Clock;
  readonly timeSource: TimeSource;
  readonly #wheel = new Wheel();
  readonly #unparkDriver: () => void;
  /** The tick the driver plans to wake at (Tokio's `next_wake`); null when no timer is registered. */
  #nextWake: number | null = null;
  #isShutdown = false;
  #didWake = false;

  /** `unparkDriver` wakes the driver below the time driver (Tokio unparks the I/O stack). */
  constructor(clock: Clock, unparkDriver: () => void) {
    this.clock = clock;
    this.timeSource = new TimeSource(clock);
    this.#unparkDriver = unparkDriver;
  }

  /** The time handle of the current runtime; throws Tokio's messages outside a runtime or with time disabled. */
  static current(): TimeHandle {
    const handle = CONTEXT.handle;
    if (handle === null) throw new Error(CONTEXT_MISSING_ERROR);
    const time = handle.driver.time;
    if (time === null) throw new Error(TIMERS_DISABLED_ERROR);
    return time;
  }

  isShutdown(): boolean {
    return this.#isShutdown;
  }

  /** Notes that the runtime was woken from outside (read by auto-advance). */
  unpark(): void {
    this.#didWake = true;
  }

  /** Whether the runtime was woken since the last call (clears the flag). */
  didWake(): boolean {
    const did = this.#didWake;
    this.#didWake = false;
    return did;
  }

  /** The wheel's next expiration tick, remembered as the tick the driver will wake at (called as it parks). */
  computeNextWake(): number | undefined {
    const next = this.#wheel.nextExpirationTime();
    this.#setNextWake(next);
    return next;
  }

  /** Fires every timer due at the clock's current tick. */
  process(): void {
    this.processAtTime(this.timeSource.now(this.clock));
  }

  /** Fires every timer due at `now` (never before the wheel's elapsed tick), in deadline order. */
  processAtTime(now: number): void {
    const wheel = this.#wheel;
    if (now < wheel.elapsed()) now = wheel.elapsed();
    for (let entry = wheel.poll(now); entry !== null; entry = wheel.poll(now)) entry.fire()?.wake();
    this.#setNextWake(wheel.nextExpirationTime());
  }

  /**
   * (Re)files `entry` for `tick`. A tick already reached fires it at once; one earlier than the driver's planned
   * wake-up unparks the driver. After shutdown the entry fires at once instead.
   */
  reregister(tick: number, entry: TimerShared): void {
    const wheel = this.#wheel;
    if (entry.mightBeRegistered()) wheel.remove(entry);
    if (this.#isShutdown) {
      entry.fire()?.wake();
      return;
    }
    entry.setExpiration(tick);
    if (!wheel.insert(entry)) {
      entry.fire()?.wake();
      return;
    }
    if (this.#nextWake === null || tick < this.#nextWake) this.#unparkDriver();
  }

  /** Removes `entry` from the wheel (if it is there) and drops its waker. */
  clearEntry(entry: TimerShared): void {
    if (entry.mightBeRegistered()) this.#wheel.remove(entry);
    entry.fire()?.drop();
  }

  /** Marks the handle shut down and fires every timer still registered. */
  shutdown(): void {
    this.#isShutdown = true;
    this.processAtTime(MAX_SAFE_MILLIS_DURATION);
  }

  #setNextWake(tick: number | undefined): void {
    // Tokio keeps it non-zero (0 means "none" there); tick 0 becomes 1.
    this.#nextWake = tick === undefined ? null : Math.max(tick, 1);
  }
}
