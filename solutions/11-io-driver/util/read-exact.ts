/**
 * `readExact(reader, buf)` (Tokio's `io/util/read_exact.rs`): reads until `buf` is full.
 *
 * Resolves to `buf.length`. If the stream ends first it throws `IoError` of kind `UnexpectedEof` ("early eof").
 * Not cancel-safe: the bytes already read are in `buf`, but if the future is dropped, how many is lost.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { IoError } from "#kata/10-mio";
import type { AsyncRead } from "./async-io.ts";

class ReadExact extends FutureBase<number> {
  #filled = 0;

  constructor(
    readonly reader: AsyncRead,
    readonly buf: Uint8Array,
  ) {
    super();
  }

  poll(cx: Context): Poll<number> {
    const buf = this.buf;
    while (this.#filled < buf.length) {
      const n = this.reader.pollRead(cx, this.#filled === 0 ? buf : buf.subarray(this.#filled));
      if (n === Pending) return Pending;
      if (n === 0) throw new IoError("UnexpectedEof", "early eof");
      this.#filled += n;
    }
    return buf.length;
  }
}

export function readExact(reader: AsyncRead, buf: Uint8Array): Future<number> {
  return new ReadExact(reader, buf);
}
