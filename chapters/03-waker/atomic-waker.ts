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
import { todo } from "#kit/todo";
import type { Waker, WakerRef } from "./waker.ts";

// The state word's values (Tokio's constants):
// const WAITING = 0;
// const REGISTERING = 0b01;
// const WAKING = 0b10;

export class AtomicWaker {
  // Sketch: the state word (starts at WAITING) and the stored waker (or null).

  /** Stores a clone of `waker` (unless the stored one already wakes the same task). */
  register(waker: WakerRef): void {
    todo("03-waker", "AtomicWaker.register");
  }

  /** Wakes and removes the stored waker, if any. Called during a registration, it defers to the registrar. */
  wake(): void {
    todo("03-waker", "AtomicWaker.wake");
  }

  /** Removes and returns the stored waker; `null` if there is none or a registration is under way. */
  take(): Waker | null {
    return todo("03-waker", "AtomicWaker.take");
  }
}
