/**
 * `AtomicWaker`: one slot for a waker, shared by the side that waits and the side that wakes
 * (Tokio's `sync/task/atomic_waker.rs`).
 *
 * The waiting side calls `register(cx.waker)` on every poll, before it checks whether its event happened; the waking
 * side calls `wake()` (or `take()` to wake later). The state word is Tokio's: `WAITING`, `REGISTERING`, `WAKING`.
 * Tokio needs it because `register` and `wake` race on different threads; on our one thread the same race happens
 * re-entrantly: a waker's `clone` (code the `AtomicWaker` does not control) may call `wake()` while the registration
 * is half done. That wake is not lost: `take()` sees `REGISTERING`, leaves the `WAKING` bit, and the registration,
 * on its way out, wakes the waker it replaced (the wake may have been meant for it) and the one it just stored.
 *
 * Invariants: at most one waker is stored; registering a waker that `willWake` the stored one keeps the stored one
 * (no clone); a replaced waker is dropped; `wake()` and `take()` remove the stored waker; a `register` that
 * re-enters another `register` is ignored (Tokio: concurrent registrations, one wins); if `clone` throws, the state
 * returns to `WAITING`, the old waker stays in the slot (or, if a wake arrived meanwhile, is taken out and woken by
 * value), and the error propagates; an error thrown by the replaced waker's `drop` or `wake` is discarded (it was
 * someone else's waker: Tokio's `catch_unwind`).
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
    if (this.#state !== WAITING) return; // a registration is under way: it wins
    if (this.#waker !== null && this.#waker.willWake(waker)) return;
    this.#state = REGISTERING;
    let old: Waker | null = null;
    let next: Waker | null = null;
    try {
      next = waker.clone();
      old = this.#waker;
      this.#waker = next;
    } finally {
      if ((this.#state & WAKING) !== 0) {
        // A wake arrived while we held the slot: wake what it was meant for, and the new waker. (If `clone` threw,
        // the slot still holds the old waker: it is the one the wake was meant for.)
        const stored = this.#waker;
        this.#waker = null;
        this.#state = WAITING;
        if (next === null) {
          if (stored !== null) quietly(stored, "wake");
        } else {
          if (old !== null) quietly(old, "wake");
          next.wake();
        }
      } else {
        this.#state = WAITING;
        if (old !== null) quietly(old, "drop");
      }
    }
  }

  /** Wakes and removes the stored waker, if any. Called during a registration, it defers to the registrar. */
  wake(): void {
    this.take()?.wake();
  }

  /** Removes and returns the stored waker; `null` if there is none or a registration is under way. */
  take(): Waker | null {
    if (this.#state !== WAITING) {
      this.#state |= WAKING;
      return null;
    }
    const w = this.#waker;
    this.#waker = null;
    return w;
  }
}

/**
 * Wakes or drops a waker that someone else stored: an error it throws is not the registrar's to receive (Tokio runs
 * these under `catch_unwind` and discards the panic).
 */
function quietly(waker: Waker, how: "wake" | "drop"): void {
  try {
    if (how === "wake") waker.wake();
    else waker.drop();
  } catch {
    // Discarded, as Tokio discards the panic.
  }
}
