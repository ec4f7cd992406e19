/**
 * `Interest` (mio's `interest.rs`): which readiness a registration asks the selector to report.
 *
 * Rust stores it in a `NonZeroU8`, so an empty interest cannot exist; here every `Interest` is one of three
 * canonical objects (READABLE 0b01, WRITABLE 0b10, both 0b11), so values compare with `===` and combining them
 * allocates nothing. `remove` returns `undefined` where it would leave nothing (Rust's `Option::None`).
 * mio's AIO, LIO and PRIORITY are platform-specific and have no source here, so they are left out.
 */
const READABLE = 0b01;
const WRITABLE = 0b10;

export class Interest {
  static readonly READABLE: Interest = new Interest(READABLE);
  static readonly WRITABLE: Interest = new Interest(WRITABLE);
  static readonly #BOTH: Interest = new Interest(READABLE | WRITABLE);

  private constructor(readonly bits: number) {}

  static #of(bits: number): Interest | undefined {
    switch (bits) {
      case READABLE:
        return Interest.READABLE;
      case WRITABLE:
        return Interest.WRITABLE;
      case READABLE | WRITABLE:
        return Interest.#BOTH;
      default:
        return undefined;
    }
  }

  /** The union of both interests (Rust's `|`). */
  add(other: Interest): Interest {
    return Interest.#of(this.bits | other.bits)!;
  }

  /** This interest without `other`; `undefined` if nothing would be left. */
  remove(other: Interest): Interest | undefined {
    return Interest.#of(this.bits & ~other.bits);
  }

  isReadable(): boolean {
    return (this.bits & READABLE) !== 0;
  }

  isWritable(): boolean {
    return (this.bits & WRITABLE) !== 0;
  }

  toString(): string {
    return [this.isReadable() ? "READABLE" : "", this.isWritable() ? "WRITABLE" : ""].filter(Boolean).join(" | ");
  }
}
