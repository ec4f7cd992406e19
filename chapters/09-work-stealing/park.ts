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
import { todo } from "#kit/todo";

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

  /** Takes the lock for `worker` if it is free; true if taken. */
  tryLock(worker: number): boolean {
    return todo("09-work-stealing", "SharedDriver.tryLock");
  }

  /** Lets go of the lock; throws if `worker` does not hold it. */
  unlock(worker: number): void {
    return todo("09-work-stealing", "SharedDriver.unlock");
  }
}

export class Parker {
  // Yours: the state (EMPTY, PARKED_CONDVAR, PARKED_DRIVER or NOTIFIED), starting EMPTY.

  constructor(
    readonly worker: number,
    readonly shared: SharedDriver,
    readonly wakeup: Wakeup,
  ) {}

  get state(): number {
    return todo("09-work-stealing", "Parker.state");
  }

  /**
   * Parks without a timeout. A waiting notification (NOTIFIED) is consumed (EMPTY) and the call returns false: not
   * blocked. Otherwise the worker blocks, in the driver if it can take the lock (PARKED_DRIVER), else on its
   * condvar (PARKED_CONDVAR), and the call returns true.
   */
  park(): boolean {
    return todo("09-work-stealing", "Parker.park");
  }

  /**
   * The blocked worker runs again. If it holds the driver lock (it slept in the driver), it turns the driver and
   * lets go of the lock, even if `turn` throws. The state becomes EMPTY. (Check the lock, not the state: an unpark
   * may have set NOTIFIED meanwhile.)
   */
  resume(): void {
    return todo("09-work-stealing", "Parker.resume");
  }

  /** `park_timeout(0)`: if the lock is free, take it, turn the driver, let go; true if it turned. Never blocks. */
  parkYield(): boolean {
    return todo("09-work-stealing", "Parker.parkYield");
  }

  /** Sets NOTIFIED; if the worker was blocked (PARKED_CONDVAR or PARKED_DRIVER), `wakeup.wakeWorker(worker)`. */
  unpark(): void {
    return todo("09-work-stealing", "Parker.unpark");
  }
}
