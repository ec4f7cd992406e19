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
const UNPARK_SHIFT = 16;
const SEARCH_MASK = (1 << UNPARK_SHIFT) - 1;

export class Idle {
  #state: number;
  readonly #sleepers: number[] = [];

  constructor(readonly numWorkers: number) {
    // Every worker starts unparked, none searching.
    this.#state = numWorkers << UNPARK_SHIFT;
  }

  get numSearching(): number {
    return this.#state & SEARCH_MASK;
  }

  get numUnparked(): number {
    return this.#state >>> UNPARK_SHIFT;
  }

  /** The sleeping workers, the most recently parked last. */
  get sleepers(): readonly number[] {
    return this.#sleepers;
  }

  /**
   * If nobody searches and somebody sleeps: counts one more worker unparked and searching, and returns the index of
   * the sleeper to wake (the one that parked last). Otherwise undefined.
   */
  workerToNotify(): number | undefined {
    if (!this.#notifyShouldWakeup()) return undefined;
    this.#state += 1 | (1 << UNPARK_SHIFT);
    return this.#sleepers.pop();
  }

  /** A worker parks: counted out of the unparked (and out of the searching if it was). True if it was the last searcher. */
  transitionWorkerToParked(worker: number, isSearching: boolean): boolean {
    const prevSearching = this.numSearching;
    this.#state -= (1 << UNPARK_SHIFT) + (isSearching ? 1 : 0);
    this.#sleepers.push(worker);
    return isSearching && prevSearching === 1;
  }

  /** True (and counted) if the worker may search: fewer than half the workers search now. */
  transitionWorkerToSearching(): boolean {
    if (2 * this.numSearching >= this.numWorkers) return false;
    this.#state += 1;
    return true;
  }

  /** A searcher found work. True if it was the last searcher: then the caller must wake another worker. */
  transitionWorkerFromSearching(): boolean {
    const prevSearching = this.numSearching;
    this.#state -= 1;
    return prevSearching === 1;
  }

  /** Takes `worker` off the sleepers (it woke by itself with work to do). True if it was there. */
  unparkWorkerById(worker: number): boolean {
    const i = this.#sleepers.indexOf(worker);
    if (i < 0) return false;
    // Rust's swap_remove: the last sleeper takes the removed one's place.
    this.#sleepers[i] = this.#sleepers[this.#sleepers.length - 1]!;
    this.#sleepers.pop();
    this.#state += 1 << UNPARK_SHIFT;
    return true;
  }

  isParked(worker: number): boolean {
    return this.#sleepers.includes(worker);
  }

  #notifyShouldWakeup(): boolean {
    return this.numSearching === 0 && this.numUnparked < this.numWorkers;
  }
}
