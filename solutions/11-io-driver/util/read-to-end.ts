/**
 * `readToEnd(reader)` (Tokio's `io/util/read_to_end.rs`): reads until the end of the stream.
 *
 * Resolves to every byte read, in one `Uint8Array`. Tokio appends to a `Vec<u8>` the caller owns (so a dropped
 * future loses nothing); JavaScript has no growable byte vector, so the bytes are kept in the future and handed
 * over at the end. Reads go into a buffer that starts at 32 bytes and doubles when a read fills it, so a small
 * stream costs little and a large one takes few reads.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { AsyncRead } from "./async-io.ts";

const FIRST_READ = 32;

class ReadToEnd extends FutureBase<Uint8Array> {
  #buf = new Uint8Array(FIRST_READ);
  #len = 0;

  constructor(readonly reader: AsyncRead) {
    super();
  }

  poll(cx: Context): Poll<Uint8Array> {
    for (;;) {
      if (this.#len === this.#buf.length) {
        const bigger = new Uint8Array(this.#buf.length * 2);
        bigger.set(this.#buf);
        this.#buf = bigger;
      }
      const n = this.reader.pollRead(cx, this.#buf.subarray(this.#len));
      if (n === Pending) return Pending;
      if (n === 0) return this.#buf.slice(0, this.#len);
      this.#len += n;
    }
  }
}

export function readToEnd(reader: AsyncRead): Future<Uint8Array> {
  return new ReadToEnd(reader);
}
