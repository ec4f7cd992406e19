/**
 * `AtomicWaker`: one slot for a waker, shared by the side that waits and the side that wakes.
 *
 * The waiting side calls `register(cx.waker)` on every poll before it returns `Pending`; the waking side calls
 * `wake()`. The state machine is the one of `futures`/Tokio (`WAITING`, `REGISTERING`, `WAKING`): a `wake()` that
 * arrives while a registration is in progress (here: re-entrantly, from inside the waker's `clone`) is not lost,
 * the registering side wakes the new waker itself once it has stored it.
 * Invariants: at most one waker is stored; registering a waker that `willWake` the stored one keeps the stored one;
 * a replaced waker is dropped; `wake()` consumes the stored waker.
 */
import type { Waker, WakerRef } from "./waker.ts";

const WAITING = 0;
const REGISTERING = 0b01;
const WAKING = 0b10;

export class AtomicWaker {
  #state = WAITING;
  #waker: Waker | null = null;

  /** Stores a clone of `waker` (unless the stored one already wakes the same task). */
  register(waker: WakerRef): void {
    if (this.#state !== WAITING) {
      // A wake is in progress (or a registration re-entered): wake the new waker at once so nothing is lost.
      waker.wakeByRef();
      return;
    }
    this.#state = REGISTERING;
    try {
      if (this.#waker === null || !this.#waker.willWake(waker)) {
        const next = waker.clone();
        const old = this.#waker;
        this.#waker = next;
        old?.drop();
      }
    } finally {
      const woken = (this.#state & WAKING) !== 0;
      this.#state = WAITING;
      if (woken) this.#takeAndWake();
    }
  }

  /** Wakes and removes the stored waker, if any. Called during a registration, it defers to the registrar. */
  wake(): void {
    const w = this.take();
    w?.wake();
  }

  /** Removes and returns the stored waker; `null` if there is none or a registration is under way. */
  take(): Waker | null {
    if (this.#state === WAITING) {
      const w = this.#waker;
      this.#waker = null;
      return w;
    }
    this.#state |= WAKING;
    return null;
  }

  #takeAndWake(): void {
    const w = this.#waker;
    this.#waker = null;
    w?.wake();
  }
}
