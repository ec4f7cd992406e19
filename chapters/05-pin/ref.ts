/**
 * `Ref<T>`: a typed pointer into simulated memory, Rust's `&mut T`.
 *
 * `T` exists only for the type checker: it says what lives at the address (a struct type such as `ReadLater`, or
 * `Word`), and `Pin` asks it whether the value is `Unpin`. At run time a `Ref` is a memory and an address; every
 * access goes through `Memory`, so a stale `Ref` is caught as a use after move or a use after free.
 *
 * Holding a `Ref` is holding the right to move the value: `move()` is what `mem::replace` or `let v = *r` does in
 * Rust. That is why `Pin` never hands one out for a `!Unpin` value, except through `getUncheckedMut` (unsafe).
 */
import { todo } from "#kit/todo";
import type { Address, Memory, Word } from "./memory.ts";

declare const TARGET: unique symbol;

export class Ref<T> {
  /** Type-level only: makes `Ref<A>` and `Ref<B>` different types. */
  declare readonly [TARGET]?: (target: T) => T;

  constructor(
    readonly memory: Memory,
    readonly address: Address,
  ) {}

  /** Places a new value (`let x = ...`): allocates `words` and returns a `Ref` to them. */
  static alloc<T>(memory: Memory, words: readonly Word[]): Ref<T> {
    return todo("05-pin", "Ref.alloc");
  }

  /** The word `offset` words into the value. */
  read(offset = 0): Word {
    return todo("05-pin", "Ref.read");
  }

  /** Overwrites the word `offset` words into the value. */
  write(offset: number, word: Word): void {
    todo("05-pin", "Ref.write");
  }

  /** A pointer to a field that starts `offset` words into the value. */
  field<F>(offset: number): Ref<F> {
    return todo("05-pin", "Ref.field");
  }

  /** Moves the value to a fresh address and returns a `Ref` to it; this `Ref` now points at a moved-from place. */
  move(): Ref<T> {
    return todo("05-pin", "Ref.move");
  }
}
