/**
 * `TimeDriver` (Tokio's `runtime/time/mod.rs`): the layer of the driver stack that owns the timer wheel.
 *
 *     scheduler ──wait()──► TimeDriver ──wait(min(next deadline, limit))──► IoDriver or ParkThread
 *               ──turn()──► TimeDriver ──turn()──► inner driver, then fire the timers due now
 *
 * `wait` bounds the inner driver's wait by the next timer, so a runtime with timers arms exactly one Node
 * timer (the inner driver's) however many sleeps exist. On a paused clock that may auto-advance, it does not wait
 * for the deadline: it gives the inner driver one zero-timeout round, and if nothing unparked the runtime in the
 * meantime it jumps the clock to the deadline. `turn` processes the inner driver, then fires every timer due at
 * the clock's `now()`, waking their tasks synchronously in deadline order.
 *
 * Invariants (the `Driver` contract of chapter 07): `wait` fires nothing (it may move a paused clock); `turn` never
 * waits; `unpark` reaches the inner driver and is recorded for auto-advance.
 *
 * Task 2 of the lesson (with `handle.ts`).
 */
import type { Driver } from "#kata/07-current-thread";
import { todo } from "#kit/todo";
import type { Clock } from "./clock.ts";
import type { TimeHandle } from "./handle.ts";

export class TimeDriver implements Driver {
  readonly handle: TimeHandle;
  // Sketch: the inner driver (`park`).

  constructor(park: Driver, clock: Clock) {
    this.handle = todo("13-time", "TimeDriver.constructor");
  }

  get needsEventLoop(): boolean {
    return todo("13-time", "TimeDriver.needsEventLoop");
  }

  /** Waits for the earlier of the inner driver, the next timer and `timeoutMs` (Tokio's `park_internal`). */
  wait(timeoutMs?: number): Promise<void> {
    return todo("13-time", "TimeDriver.wait");
  }

  turn(): void {
    todo("13-time", "TimeDriver.turn");
  }

  unpark(): void {
    todo("13-time", "TimeDriver.unpark");
  }

  /** Fires every remaining timer, then shuts the inner driver down. */
  shutdown(): void {
    todo("13-time", "TimeDriver.shutdown");
  }
}
