/**
 * A small simulated memory, to see what Rust's moves do to pointers.
 *
 * Values live at addresses, as words (numbers; a pointer is a word holding an address). `alloc` places a value in a
 * fresh region; `move` is Rust's move: a bitwise copy of the whole value to a fresh address, after which the old
 * region is *moved-from*. The copy is exact, so a pointer stored inside the value still holds the old address: if it
 * pointed into the value itself, it now dangles. Real memory would let you read the stale bytes (undefined
 * behaviour); this memory remembers every region it ever handed out and reports the access instead.
 *
 * Invariants: addresses are never reused (a stale address always finds the region it once named); regions start
 * at 0x1000 on 16-word boundaries; address 0 is never allocated (null); an access reports, in this order, an
 * address that was never allocated, a moved-from region, a freed region, an offset past the end of the value.
 * Memory is the raw machine, `unsafe` in Rust's terms: it checks accesses, not ownership. `Ref`, `Box` and `Pin`
 * are the safe layer on top.
 */
import { todo } from "#kit/todo";

export type Address = number;
export type Word = number;

export type MemoryErrorKind = "use-after-move" | "use-after-free" | "invalid-address";

/** An access that Rust would call undefined behaviour, detected. */
export class MemoryError extends Error {
  override readonly name = "MemoryError";
  constructor(
    readonly kind: MemoryErrorKind,
    readonly address: Address,
    message: string,
  ) {
    super(message);
  }
}

/** `0x1a3f`: how addresses appear in messages. */
export function hex(address: Address): string {
  return `0x${address.toString(16)}`;
}

// Layout rules (the contract): the first value starts at 0x1000; each value starts on a 16-word boundary, after the
// previous one, and occupies ceil(size / 16) blocks of 16 words (at least one). Address 0 is never allocated.

export class Memory {
  // Sketch: the next free address; a map from each 16-word block (address / 16) to the region covering it, where
  // a region is { base, size, words, state: "live" | "moved" | "freed", movedTo }; the count of live values.

  /** Places a value made of `words` at a fresh address and returns that address (its base). */
  alloc(words: readonly Word[]): Address {
    return todo("05-pin", "Memory.alloc");
  }

  /** The word at `address`. Throws a `MemoryError` if the access is not to a live value (see the README). */
  read(address: Address): Word {
    return todo("05-pin", "Memory.read");
  }

  /** Overwrites the word at `address`, with the same checks as `read`. */
  write(address: Address, word: Word): void {
    todo("05-pin", "Memory.write");
  }

  /**
   * Moves the value that starts at `base` to a fresh address: copies its words as they are (pointers inside are
   * not adjusted) and marks the old region moved-from. Returns the new base.
   */
  move(base: Address): Address {
    return todo("05-pin", "Memory.move");
  }

  /** Frees the value that starts at `base` (drops it): any later access to it is a use after free. */
  free(base: Address): void {
    todo("05-pin", "Memory.free");
  }

  /** True if `address` is inside a live value. */
  isLive(address: Address): boolean {
    return todo("05-pin", "Memory.isLive");
  }

  /** How many values are live (allocated, neither moved from nor freed). */
  get liveValues(): number {
    return todo("05-pin", "Memory.liveValues");
  }
}
