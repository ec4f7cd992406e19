/**
 * `Idle` (Tokio's `runtime/scheduler/multi_thread/idle.rs`): who is searching for work, and who is asleep.
 *
 * One number holds two counts, `numUnparked << 16 | numSearching`, so that the hot checks read one word (in Tokio,
 * one atomic load instead of a lock). The list of sleeping workers (`sleepers`) sits beside it, under the
 * scheduler's lock in Tokio.
 *
 * The rules:
 * - a worker may start searching (stealing) only while fewer than half the workers search: `2 * searching <
 *   workers`. Searching is wasted work when others are already at it;
 * - a parked worker is woken only when nobody is searching and somebody sleeps: a searcher will find the new work
 *   anyway, and will wake someone else when it does. The woken worker counts as searching at once;
 * - the last searcher to stop searching because it found work must wake another worker (its caller does that), so
 *   that the rest of the work does not wait; the last searcher to park must look once more for work (its caller
 *   re-checks every queue), or a task pushed while it was giving up would wait for nobody.
 *
 * Invariants: `numSearching <= numUnparked <= numWorkers`; `sleepers` holds exactly the workers counted as parked,
 * `numWorkers - numUnparked` of them.
 */
import { todo } from "#kit/todo";

export class Idle {
  // Yours: the state number (every worker starts unparked, none searching) and the sleepers array.

  constructor(readonly numWorkers: number) {}

  get numSearching(): number {
    return todo("09-work-stealing", "Idle.numSearching");
  }

  get numUnparked(): number {
    return todo("09-work-stealing", "Idle.numUnparked");
  }

  /** The sleeping workers, the most recently parked last. */
  get sleepers(): readonly number[] {
    return todo("09-work-stealing", "Idle.sleepers");
  }

  /**
   * If nobody searches and somebody sleeps: counts one more worker unparked and searching, and returns the index of
   * the sleeper to wake (the one that parked last: pop it). Otherwise undefined, and nothing changes.
   */
  workerToNotify(): number | undefined {
    return todo("09-work-stealing", "Idle.workerToNotify");
  }

  /**
   * A worker parks: one fewer unparked (and one fewer searching if `isSearching`); it joins the sleepers. Returns
   * true if it was searching and was the last searcher.
   */
  transitionWorkerToParked(worker: number, isSearching: boolean): boolean {
    return todo("09-work-stealing", "Idle.transitionWorkerToParked");
  }

  /** True (and one more searching) if fewer than half the workers search now (`2 * searching < workers`). */
  transitionWorkerToSearching(): boolean {
    return todo("09-work-stealing", "Idle.transitionWorkerToSearching");
  }

  /** A searcher found work: one fewer searching. True if it was the last searcher: then the caller wakes another. */
  transitionWorkerFromSearching(): boolean {
    return todo("09-work-stealing", "Idle.transitionWorkerFromSearching");
  }

  /**
   * Takes `worker` off the sleepers (it woke by itself with work to do), as Rust's `swap_remove`: the last sleeper
   * takes its place. One more unparked, not searching. True if it was asleep; false (nothing changes) otherwise.
   */
  unparkWorkerById(worker: number): boolean {
    return todo("09-work-stealing", "Idle.unparkWorkerById");
  }

  isParked(worker: number): boolean {
    return todo("09-work-stealing", "Idle.isParked");
  }
}
