/**
 * The worker's parker (Tokio's `runtime/scheduler/multi_thread/park.rs`): how a worker sleeps, and who turns the
 * driver.
 *
 * There is no I/O thread (seed 7.4): the driver (I/O and timers) is turned by whichever worker is about to sleep.
 * All workers share one driver behind a try-lock. A worker that parks takes the lock if it is free and sleeps *in
 * the driver* (in Tokio: blocked in `epoll_wait`, woken by I/O, a timer or an unpark); if another worker holds it,
 * it sleeps on its own condition variable until unparked. `parkYield` (Tokio's `park_timeout(0)`) turns the driver
 * without sleeping, if the lock is free, and does nothing otherwise.
 *
 * The state word:
 *
 *     EMPTY ──park, lock free──► PARKED_DRIVER ──resume: turn the driver, unlock──► EMPTY
 *       │  └──park, lock held──► PARKED_CONDVAR ──resume──────────────────────────► EMPTY
 *       └──unpark──► NOTIFIED ──park: returns at once, without blocking──► EMPTY
 *     unpark on a parked worker: NOTIFIED, and the worker runs again (`Wakeup.wakeWorker`)
 *
 * Our workers are logical: "blocked" means the interleaver does not run the worker until `wakeWorker` makes it
 * runnable again. The real waiting happens once, when every worker is blocked: the interleaver awaits the driver's
 * `wait()`, and when it returns it resumes the worker that holds the driver.
 */
import type { Driver } from "#kata/07-current-thread";

export const EMPTY = 0;
export const PARKED_CONDVAR = 1;
export const PARKED_DRIVER = 2;
export const NOTIFIED = 3;

/** The interleaver, as the parker sees it: makes a blocked worker runnable again. */
export interface Wakeup {
  wakeWorker(worker: number): void;
}

/** The driver behind Tokio's `TryLock`: at most one worker holds it at a time. */
export class SharedDriver {
  /** The worker holding the driver, or -1. */
  holder = -1;

  constructor(readonly driver: Driver) {}

  tryLock(worker: number): boolean {
    if (this.holder !== -1) return false;
    this.holder = worker;
    return true;
  }

  unlock(worker: number): void {
    if (this.holder !== worker) throw new Error(`worker ${worker} unlocks a driver held by ${this.holder}`);
    this.holder = -1;
  }
}

export class Parker {
  #state = EMPTY;

  constructor(
    readonly worker: number,
    readonly shared: SharedDriver,
    readonly wakeup: Wakeup,
  ) {}

  get state(): number {
    return this.#state;
  }

  /**
   * Parks without a timeout. A waiting notification is consumed and the call returns false (not blocked).
   * Otherwise the worker blocks, in the driver if it could take the lock, else on its condvar; returns true.
   */
  park(): boolean {
    if (this.#state === NOTIFIED) {
      this.#state = EMPTY;
      return false;
    }
    this.#state = this.shared.tryLock(this.worker) ? PARKED_DRIVER : PARKED_CONDVAR;
    return true;
  }

  /** The blocked worker runs again: if it slept in the driver, it turns it (processing what is ready) and lets go. */
  resume(): void {
    // The state may be NOTIFIED by now (an unpark woke us): the lock says where we slept.
    if (this.shared.holder === this.worker) {
      try {
        this.shared.driver.turn();
      } finally {
        this.shared.unlock(this.worker);
      }
    }
    this.#state = EMPTY;
  }

  /** `park_timeout(0)`: turns the driver if nobody holds it; true if it did. Never blocks. */
  parkYield(): boolean {
    if (!this.shared.tryLock(this.worker)) return false;
    try {
      this.shared.driver.turn();
    } finally {
      this.shared.unlock(this.worker);
    }
    return true;
  }

  /** Wakes the worker if it is blocked, or makes its next `park` return at once. Callable from anywhere. */
  unpark(): void {
    const prev = this.#state;
    this.#state = NOTIFIED;
    if (prev === PARKED_CONDVAR || prev === PARKED_DRIVER) this.wakeup.wakeWorker(this.worker);
  }
}
