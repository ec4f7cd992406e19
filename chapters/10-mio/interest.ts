/**
 * `Interest` (mio's `interest.rs`): which readiness a registration asks the selector to report.
 *
 * Rust stores it in a `NonZeroU8`, so an empty interest cannot exist; here every `Interest` is one of three
 * canonical objects (READABLE 0b01, WRITABLE 0b10, both 0b11), so values compare with `===` and combining them
 * allocates nothing. `remove` returns `undefined` where it would leave nothing (Rust's `Option::None`).
 * mio's AIO, LIO and PRIORITY are platform-specific and have no source here, so they are left out.
 *
 * Given: the constructor and the two constants. You write the rest (Task 1).
 */
import { todo } from "#kit/todo";

const READABLE = 0b01;
const WRITABLE = 0b10;

export class Interest {
  static readonly READABLE: Interest = new Interest(READABLE);
  static readonly WRITABLE: Interest = new Interest(WRITABLE);
  // Sketch: a third canonical object for READABLE | WRITABLE, and a private helper that maps bits to the
  // canonical object (or undefined for 0).

  private constructor(readonly bits: number) {}

  /** The union of both interests (Rust's `|`): always one of the canonical objects. */
  add(other: Interest): Interest {
    return todo("10-mio", "Interest.add");
  }

  /** This interest without `other`; `undefined` if nothing would be left. */
  remove(other: Interest): Interest | undefined {
    return todo("10-mio", "Interest.remove");
  }

  isReadable(): boolean {
    return todo("10-mio", "Interest.isReadable");
  }

  isWritable(): boolean {
    return todo("10-mio", "Interest.isWritable");
  }

  /** `"READABLE"`, `"WRITABLE"` or `"READABLE | WRITABLE"`. */
  toString(): string {
    return todo("10-mio", "Interest.toString");
  }
}
