/**
 * `Parker`: how an executor sleeps until it is woken, on top of Node's event loop.
 *
 * Rust's `std::thread::park` blocks the thread until a token is available; `unpark` makes the token available.
 * JavaScript cannot block its one thread, so parking here returns a promise: the executor awaits it, Node's event
 * loop runs other work (timers, sockets, other executors), and `unpark` resolves it.
 *
 * Invariants (the token semantics of `std::thread::park` and Tokio's `runtime/park.rs`):
 * - at most one token: any number of `unpark` calls before a `park` make that one park return at once;
 * - `park` consumes the token; a park without a token waits for the next `unpark`, and consumes that notification
 *   when it returns (its promise settles), so unparks that arrive after the wake-up but before the parked code
 *   resumes are the same notification, as in Tokio where the woken thread swaps `NOTIFIED` back to `EMPTY`;
 * - `parkTimeout(ms)` also returns when `ms` milliseconds have passed on Node's clock; it leaves no Node timer
 *   armed once it has returned; `parkTimeout(0)` (or less) only consumes a token if there is one and returns at
 *   once, without waiting for anything (Tokio's `park_timeout` with a zero duration); a timeout beyond what Node's
 *   timers hold (MAX_TIMER_MS) returns at that limit instead: early, which a parker may always do;
 * - only one park at a time: parking twice concurrently is a misuse and throws.
 */
import { RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";

const EMPTY = 0;
const PARKED = 1;
const NOTIFIED = 2;

/** The longest delay Node's `setTimeout` honours (2^31-1 ms, about 24.8 days); it fires a longer one after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Park {
  /** Waits until unparked. */
  park(): Promise<void>;
  /** Waits until unparked or until `ms` milliseconds have passed. */
  parkTimeout(ms: number): Promise<void>;
  /** Wakes the parked side, or lets its next park return at once. */
  unpark(): void;
}

export class Parker implements Park {
  #state = EMPTY;
  /** A park's promise has not settled yet (from the call, through its release, until its `.then` has run). */
  #pending = false;
  #resolve: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  park(): Promise<void> {
    return this.#park(undefined);
  }

  parkTimeout(ms: number): Promise<void> {
    return this.#park(ms);
  }

  unpark(): void {
    const prev = this.#state;
    this.#state = NOTIFIED;
    if (prev === PARKED) this.#wakeUp();
  }

  /** A waker whose wake unparks this parker (cloning or dropping it is free: the parker lives as long as any). */
  waker(): Waker {
    return Waker.fromRaw(new RawWaker(this, PARKER_VTABLE));
  }

  #park(ms: number | undefined): Promise<void> {
    if (this.#pending) throw new Error("Parker.park called while already parked");
    if (this.#state === NOTIFIED) {
      this.#state = EMPTY;
      return Promise.resolve();
    }
    if (ms !== undefined && !(ms > 0)) return Promise.resolve();
    this.#state = PARKED;
    this.#pending = true;
    const woken = new Promise<void>((resolve) => {
      this.#resolve = resolve;
      if (ms !== undefined) this.#timer = setTimeout(() => this.#wakeUp(), Math.min(ms, MAX_TIMER_MS));
    });
    // Back from the park: consume the notification (every unpark since the wake-up is the same one), or give up
    // waiting after a timeout.
    return woken.then(() => {
      this.#state = EMPTY;
      this.#pending = false;
    });
  }

  /** Resolves the pending park (an unpark or the timer) and disarms its timer. */
  #wakeUp(): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    resolve?.();
  }
}

const PARKER_VTABLE: RawWakerVTable = {
  clone: (data) => new RawWaker(data, PARKER_VTABLE),
  wake: (data) => (data as Parker).unpark(),
  wakeByRef: (data) => (data as Parker).unpark(),
  drop: () => {},
};
