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
 *   once, without waiting for anything (Tokio's `park_timeout` with a zero duration);
 * - only one park at a time: parking twice concurrently is a misuse and throws.
 */
import type { Waker } from "#kata/03-waker";
import { todo } from "#kit/todo";

// The state word (Tokio's constants): EMPTY = 0, PARKED = 1, NOTIFIED = 2.

export interface Park {
  /** Waits until unparked. */
  park(): Promise<void>;
  /** Waits until unparked or until `ms` milliseconds have passed. */
  parkTimeout(ms: number): Promise<void>;
  /** Wakes the parked side, or lets its next park return at once. */
  unpark(): void;
}

export class Parker implements Park {
  // Sketch: the state word, the resolve function of the pending park, the timer of a parkTimeout.

  /**
   * With a token: consumes it and returns an already-resolved promise. Without: returns a promise that resolves
   * after the next `unpark`, consuming that notification as it settles (so it leaves no token behind). Throws
   * (synchronously) "Parker.park called while already parked" if a park is pending.
   */
  park(): Promise<void> {
    return todo("04-block-on", "Parker.park");
  }

  /** As `park`, but also resolves after `ms` milliseconds (a Node timer, cleared when an unpark comes first). */
  parkTimeout(ms: number): Promise<void> {
    return todo("04-block-on", "Parker.parkTimeout");
  }

  /** Sets the notification (at most one token): wakes the pending park if there is one, else the next park keeps it. */
  unpark(): void {
    todo("04-block-on", "Parker.unpark");
  }

  /**
   * A waker whose wake and wakeByRef unpark this parker (cloning or dropping it is free: the parker lives as long
   * as any of its wakers).
   */
  waker(): Waker {
    return todo("04-block-on", "Parker.waker");
  }
}
