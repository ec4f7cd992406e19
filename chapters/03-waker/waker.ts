/**
 * `Waker`: the handle a pending future keeps so that it can ask to be polled again.
 *
 * Invariants (Rust's `core::task::Waker`):
 * - every method dispatches through the vtable of the `RawWaker` it was built from;
 * - `wake()` and `drop()` consume the waker: JavaScript cannot move a value out of a variable, so the object is
 *   marked consumed instead, and any later use (every method and getter) throws
 *   `Error("waker used after it was consumed by wake() or drop()")`;
 * - `clone()` asks the vtable for a fresh `RawWaker`, so each clone is released on its own;
 * - `willWake(other)` is true when both would wake the same task: same data, same vtable.
 *
 * `WakerRef` is Rust's `&Waker`: what `Context` lends to a future during a poll. It can wake by reference and be
 * cloned, but not consumed; a future that must wake later stores `cx.waker.clone()`.
 */
import { todo } from "#kit/todo";
import type { RawWaker, RawWakerVTable } from "./raw-waker.ts";

export class Waker {
  // Sketch: the raw waker's data and vtable, and whether this handle has been consumed.

  private constructor(raw: RawWaker) {
    todo("03-waker", "Waker.constructor");
  }

  /** Builds a waker from a raw waker; the raw waker's reference now belongs to this `Waker`. */
  static fromRaw(raw: RawWaker): Waker {
    return todo("03-waker", "Waker.fromRaw");
  }

  /** A waker that does nothing; each call returns a new handle to the same no-op raw waker. */
  static noop(): Waker {
    return todo("03-waker", "Waker.noop");
  }

  /** The raw waker's data (throws if consumed). */
  get data(): unknown {
    return todo("03-waker", "Waker.data");
  }

  /** The raw waker's vtable (throws if consumed). */
  get vtable(): RawWakerVTable {
    return todo("03-waker", "Waker.vtable");
  }

  /** A new waker from `vtable.clone(data)`. */
  clone(): Waker {
    return todo("03-waker", "Waker.clone");
  }

  /** Wakes through `vtable.wake(data)` and consumes this waker. */
  wake(): void {
    todo("03-waker", "Waker.wake");
  }

  /** Wakes through `vtable.wakeByRef(data)`; the waker stays usable. */
  wakeByRef(): void {
    todo("03-waker", "Waker.wakeByRef");
  }

  /** Releases this handle through `vtable.drop(data)` without waking, and consumes it. */
  drop(): void {
    todo("03-waker", "Waker.drop");
  }

  /** True if `other` would wake the same task: the same data and the same vtable. */
  willWake(other: WakerRef): boolean {
    return todo("03-waker", "Waker.willWake");
  }
}

/** A borrowed waker (`&Waker`): everything but the methods that consume it. */
export type WakerRef = Pick<Waker, "data" | "vtable" | "clone" | "wakeByRef" | "willWake">;
