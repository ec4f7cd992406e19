/**
 * `Defer` (Tokio's `runtime/scheduler/defer.rs`): wakers whose wake must wait until the driver has been polled.
 *
 * A task that yields (`yieldNow`) or runs out of budget must not be rescheduled at once, or it would run again
 * before I/O and timers get a turn. Its waker is parked here and woken after the next driver turn.
 * Invariants: a waker that would wake the same task as the last one deferred is not stored twice; `wake` takes
 * them from the end of the list, as Tokio's does (`Vec::pop`), so the last deferred is woken first.
 *
 * Task 4 of the lesson.
 */
import type { WakerRef } from "#kata/03-waker";
import { todo } from "#kit/todo";

export class Defer {
  /** Stores a clone of `waker`, unless the last waker stored `willWake` the same task. */
  defer(waker: WakerRef): void {
    return todo("07-current-thread", "Defer.defer");
  }

  isEmpty(): boolean {
    return todo("07-current-thread", "Defer.isEmpty");
  }

  /** Wakes (by value) every deferred waker, the most recently deferred first, leaving the list empty. */
  wake(): void {
    return todo("07-current-thread", "Defer.wake");
  }
}
