/**
 * `writeAll(writer, buf)` (Tokio's `io/util/write_all.rs`): writes until all of `buf` is accepted.
 *
 * A write that accepts 0 bytes of a non-empty buffer means the writer will take no more: `IoError` of kind
 * `WriteZero` ("failed to write whole buffer"). Not cancel-safe: how much was written is lost with the future.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { IoError } from "#kata/10-mio";
import type { AsyncWrite } from "./async-io.ts";

class WriteAll extends FutureBase<void> {
  #written = 0;

  constructor(
    readonly writer: AsyncWrite,
    readonly buf: Uint8Array,
  ) {
    super();
  }

  poll(cx: Context): Poll<void> {
    const buf = this.buf;
    while (this.#written < buf.length) {
      const n = this.writer.pollWrite(cx, this.#written === 0 ? buf : buf.subarray(this.#written));
      if (n === Pending) return Pending;
      if (n === 0) throw new IoError("WriteZero", "failed to write whole buffer");
      this.#written += n;
    }
    return undefined;
  }
}

export function writeAll(writer: AsyncWrite, buf: Uint8Array): Future<void> {
  return new WriteAll(writer, buf);
}
