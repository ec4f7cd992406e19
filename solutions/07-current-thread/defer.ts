/**
 * `Defer` (Tokio's `runtime/scheduler/defer.rs`): wakers whose wake must wait until the driver has been polled.
 *
 * A task that yields (`yieldNow`) or runs out of budget must not be rescheduled at once, or it would run again
 * before I/O and timers get a turn. Its waker is parked here and woken after the next driver turn.
 * Invariants: a waker that would wake the same task as the last one deferred is not stored twice; `wake` takes
 * them from the end of the list, as Tokio's does (`Vec::pop`), so the last deferred is woken first.
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

  /** Wakes every deferred waker, the most recently deferred first. */
  wake(): void {
    for (let w = this.#deferred.pop(); w !== undefined; w = this.#deferred.pop()) w.wake();
  }
}
