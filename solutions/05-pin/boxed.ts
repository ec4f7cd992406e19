/**
 * `Box<T>`: a value that owns its own allocation (Rust's `Box`, `alloc::boxed`).
 *
 * `Box.new(value)` moves the value into an allocation of its own, once. From then on the box is a handle: you can
 * pass it around, store it, put it in a queue, and the value stays at the same address until the box is dropped.
 * That is what makes `Box.pin` safe: once the value is pinned in a box, nobody can move it out (the `Pin` does not
 * give the `Box` back unless the value is `Unpin`), and moving the box moves only the handle.
 *
 * Invariants: the value's address never changes while the box lives; `drop()` frees it, after which every access
 * through the box, or through any pointer into the value, is a use after free.
 */
import type { Address, Memory } from "./memory.ts";
import { Pin } from "./pin.ts";
import { Ref } from "./ref.ts";

declare const TARGET: unique symbol;

export class Box<T> {
  /** Type-level only: makes `Box<A>` and `Box<B>` different types. */
  declare readonly [TARGET]?: (target: T) => T;

  private constructor(
    readonly memory: Memory,
    readonly address: Address,
  ) {}

  /** Moves `value` into a fresh allocation owned by the box; `value` now points at a moved-from place. */
  static new<T>(value: Ref<T>): Box<T> {
    return new Box<T>(value.memory, value.memory.move(value.address));
  }

  /** `Box::pin`: boxes the value and pins it there. Safe: the `Pin` keeps the box, so the value cannot move. */
  static pin<T>(value: Ref<T>): Pin<Box<T>> {
    return Pin.newUnchecked(Box.new(value));
  }

  /** `DerefMut`: a `Ref` to the boxed value. */
  asMut(): Ref<T> {
    return new Ref<T>(this.memory, this.address);
  }

  /** Drops the box: frees the value's allocation. */
  drop(): void {
    this.memory.free(this.address);
  }
}
