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

const FIRST_ADDRESS = 0x1000;
const BLOCK = 16;

interface Region {
  readonly base: Address;
  readonly size: number;
  words: Word[];
  state: "live" | "moved" | "freed";
  movedTo: Address;
}

export class Memory {
  #next = FIRST_ADDRESS;
  /** Every region ever allocated, by each 16-word block it covers. */
  readonly #blocks = new Map<number, Region>();
  #live = 0;

  /** Places a value made of `words` at a fresh address and returns that address (its base). */
  alloc(words: readonly Word[]): Address {
    const base = this.#next;
    const region: Region = { base, size: words.length, words: [...words], state: "live", movedTo: 0 };
    const blocks = Math.max(1, Math.ceil(words.length / BLOCK));
    for (let b = 0; b < blocks; b++) this.#blocks.set(base / BLOCK + b, region);
    this.#next = base + blocks * BLOCK;
    this.#live++;
    return base;
  }

  read(address: Address): Word {
    const region = this.#access(address);
    return region.words[address - region.base]!;
  }

  write(address: Address, word: Word): void {
    const region = this.#access(address);
    region.words[address - region.base] = word;
  }

  /**
   * Moves the value that starts at `base` to a fresh address: copies its words as they are (pointers inside are
   * not adjusted) and marks the old region moved-from. Returns the new base.
   */
  move(base: Address): Address {
    const region = this.#whole(base);
    const to = this.alloc(region.words);
    region.state = "moved";
    region.movedTo = to;
    region.words = [];
    this.#live--;
    return to;
  }

  /** Frees the value that starts at `base` (drops it): any later access to it is a use after free. */
  free(base: Address): void {
    const region = this.#whole(base);
    region.state = "freed";
    region.words = [];
    this.#live--;
  }

  /** True if `address` is inside a live value. */
  isLive(address: Address): boolean {
    const region = Number.isInteger(address) ? this.#blocks.get(Math.floor(address / BLOCK)) : undefined;
    return region !== undefined && region.state === "live" && address - region.base < region.size;
  }

  /** How many values are live (allocated, neither moved from nor freed). */
  get liveValues(): number {
    return this.#live;
  }

  /** The live region that `address` falls in (its 16-word block), or the error that using it is. */
  #find(address: Address): Region {
    const region = Number.isInteger(address) ? this.#blocks.get(Math.floor(address / BLOCK)) : undefined;
    if (region === undefined) {
      const message = `invalid address: nothing was ever allocated at ${hex(address)}`;
      throw new MemoryError("invalid-address", address, message);
    }
    if (region.state === "moved") {
      throw new MemoryError(
        "use-after-move",
        address,
        `use after move: ${hex(address)} is in a value that was moved to ${hex(region.movedTo)}`,
      );
    }
    if (region.state === "freed") {
      throw new MemoryError("use-after-free", address, `use after free: ${hex(address)} is in a value that was freed`);
    }
    return region;
  }

  /** The live region holding the word at `address`. */
  #access(address: Address): Region {
    const region = this.#find(address);
    if (address - region.base >= region.size) {
      throw new MemoryError(
        "invalid-address",
        address,
        `invalid address: ${hex(address)} is past the end of the value at ${hex(region.base)}`,
      );
    }
    return region;
  }

  /** The live region that starts at `base`: a move or a free takes a whole value. */
  #whole(base: Address): Region {
    const region = this.#find(base);
    if (region.base !== base) {
      throw new MemoryError("invalid-address", base, `invalid address: ${hex(base)} is not the start of a value`);
    }
    return region;
  }
}
