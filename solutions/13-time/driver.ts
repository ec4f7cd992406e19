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
 */
import type { Driver } from "#kata/07-current-thread";
import type { Clock } from "./clock.ts";
import { TimeHandle } from "./handle.ts";

/** Node's timers cannot wait longer (a longer delay fires after 1 ms). */
const NODE_MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class TimeDriver implements Driver {
  readonly handle: TimeHandle;
  readonly #park: Driver;

  constructor(park: Driver, clock: Clock) {
    this.#park = park;
    this.handle = new TimeHandle(clock, () => park.unpark());
  }

  get needsEventLoop(): boolean {
    return this.#park.needsEventLoop;
  }

  /** Waits for the earlier of the inner driver, the next timer and `timeoutMs` (Tokio's `park_internal`). */
  wait(timeoutMs?: number): Promise<void> {
    const handle = this.handle;
    const next = handle.computeNextWake();
    if (next !== undefined) {
      const duration = Math.max(0, next - handle.timeSource.now(handle.clock));
      if (duration === 0) return this.#park.wait(0);
      return this.#parkThreadTimeout(timeoutMs === undefined ? duration : Math.min(timeoutMs, duration));
    }
    if (timeoutMs !== undefined) return this.#parkThreadTimeout(timeoutMs);
    return this.#park.wait();
  }

  /** A bounded wait: on a clock that may auto-advance, a zero-timeout round and then a jump of the clock. */
  async #parkThreadTimeout(ms: number): Promise<void> {
    const clock = this.handle.clock;
    if (clock.canAutoAdvance()) {
      await this.#park.wait(0);
      if (!this.handle.didWake()) clock.advance(ms);
    } else {
      await this.#park.wait(Math.min(ms, NODE_MAX_TIMEOUT_MS));
    }
  }

  turn(): void {
    this.#park.turn();
    this.handle.process();
  }

  unpark(): void {
    this.handle.unpark();
    this.#park.unpark();
  }

  /** Fires every remaining timer, then shuts the inner driver down. */
  shutdown(): void {
    if (this.handle.isShutdown()) return;
    this.handle.shutdown();
    this.#park.shutdown();
  }
}
