/**
 * `Defer` (Tokio's `runtime/scheduler/defer.rs`): wakers whose wake must wait until the driver has been polled.
 *
 * A task that yields (`yieldNow`) or runs out of budget must not be rescheduled at once, or it would run again
 * before I/O and timers get a turn. Its waker is parked here and woken after the next driver turn.
 * Invariant: a waker that would wake the same task as the last one deferred is not stored twice.
 */
import type { Waker, WakerRef } from "#kata/03-waker";

export class Defer {
  #deferred: Waker[] = [];

  defer(waker: WakerRef): void {
    const last = this.#deferred[this.#deferred.length - 1];
    if (last !== undefined && last.willWake(waker)) return;
    this.#deferred.push(waker.clone());
  }

  isEmpty(): boolean {
    return this.#deferred.length === 0;
  }

  /** Wakes every deferred waker, in the order they were deferred. */
  wake(): void {
    while (this.#deferred.length > 0) {
      const batch = this.#deferred;
      this.#deferred = [];
      for (const w of batch) w.wake();
    }
  }
}
