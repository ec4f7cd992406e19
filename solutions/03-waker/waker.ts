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
import { RawWaker, type RawWakerVTable } from "./raw-waker.ts";

export class Waker {
  #data: unknown;
  #vtable: RawWakerVTable;
  #consumed = false;

  private constructor(raw: RawWaker) {
    this.#data = raw.data;
    this.#vtable = raw.vtable;
  }

  /** Builds a waker from a raw waker; the raw waker's reference now belongs to this `Waker`. */
  static fromRaw(raw: RawWaker): Waker {
    return new Waker(raw);
  }

  /** A waker that does nothing; each call returns a new handle to the same no-op raw waker. */
  static noop(): Waker {
    return new Waker(NOOP_RAW);
  }

  get data(): unknown {
    if (this.#consumed) consumed();
    return this.#data;
  }

  get vtable(): RawWakerVTable {
    if (this.#consumed) consumed();
    return this.#vtable;
  }

  clone(): Waker {
    if (this.#consumed) consumed();
    return new Waker(this.#vtable.clone(this.#data));
  }

  wake(): void {
    if (this.#consumed) consumed();
    this.#consumed = true;
    this.#vtable.wake(this.#data);
  }

  wakeByRef(): void {
    if (this.#consumed) consumed();
    this.#vtable.wakeByRef(this.#data);
  }

  drop(): void {
    if (this.#consumed) consumed();
    this.#consumed = true;
    this.#vtable.drop(this.#data);
  }

  willWake(other: WakerRef): boolean {
    if (this.#consumed) consumed();
    return this.#data === other.data && this.#vtable === other.vtable;
  }
}

/**
 * The error of a use after `wake()` or `drop()`. (A function, not a private method: a class with private methods
 * gives each instance a hidden brand field, and there is a `Waker` behind every stored wake-up.)
 */
function consumed(): never {
  throw new Error("waker used after it was consumed by wake() or drop()");
}

/** A borrowed waker (`&Waker`): everything but the methods that consume it. */
export type WakerRef = Pick<Waker, "data" | "vtable" | "clone" | "wakeByRef" | "willWake">;

const NOOP_VTABLE: RawWakerVTable = {
  clone: () => NOOP_RAW,
  wake: () => {},
  wakeByRef: () => {},
  drop: () => {},
};
const NOOP_RAW = new RawWaker(null, NOOP_VTABLE);
