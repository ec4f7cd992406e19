/**
 * `copy(reader, writer)` (Tokio's `io/util/copy.rs`): moves everything from `reader` to `writer`.
 *
 * Resolves to the number of bytes copied, once the reader reaches the end of its stream and the writer has
 * been flushed (the writer is not shut down). Through one buffer of `DEFAULT_BUF_SIZE` (8 KiB), Tokio's
 * `CopyBuffer`:
 * - while the buffer has room and the reader has not ended, read into it; a pending read is ignored if there
 *   is data to write (write what we have rather than wait);
 * - write out what the buffer holds; if the write is pending and there is room, read a little more first;
 * - a write of 0 bytes is `WriteZero` ("write zero byte into writer");
 * - one unit of budget for the whole poll, spent up front (`pollProceed`), kept once anything moved (or failed).
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { IoError } from "#kata/10-mio";
import { pollProceed, restore } from "#kata/14-blocking";
import type { AsyncRead, AsyncWrite } from "./async-io.ts";

export const DEFAULT_BUF_SIZE = 8 * 1024;

class CopyBuffer {
  readDone = false;
  needFlush = false;
  pos = 0;
  cap = 0;
  amt = 0;
  readonly buf = new Uint8Array(DEFAULT_BUF_SIZE);

  /** Reads into the free end of the buffer; `Pending`, or ready (a read of 0 means the reader has ended). */
  #pollFill(cx: Context, reader: AsyncRead): Poll<void> {
    const n = reader.pollRead(cx, this.cap === 0 ? this.buf : this.buf.subarray(this.cap));
    if (n === Pending) return Pending;
    if (n === 0) this.readDone = true;
    this.cap += n;
    return undefined;
  }

  #pollWriteBuf(cx: Context, reader: AsyncRead, writer: AsyncWrite): Poll<number> {
    const n = writer.pollWrite(cx, this.buf.subarray(this.pos, this.cap));
    if (n !== Pending) return n;
    // Top the buffer up while the writer is busy: a fuller buffer makes a larger write.
    if (!this.readDone && this.cap < this.buf.length) this.#pollFill(cx, reader);
    return Pending;
  }

  pollCopy(cx: Context, reader: AsyncRead, writer: AsyncWrite): Poll<number> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    let progressed = false;
    try {
      for (;;) {
        if (this.cap < this.buf.length && !this.readDone) {
          let filled: Poll<void>;
          try {
            filled = this.#pollFill(cx, reader);
          } catch (e) {
            // A read that fails counts as progress (Tokio's `made_progress` on the fill's error); an error from a
            // write, a flush or the top-up read does not, and gives the unit back.
            progressed = true;
            throw e;
          }
          if (filled === Pending) {
            if (this.pos === this.cap) {
              if (this.needFlush) {
                if (writer.pollFlush(cx) === Pending) return Pending;
                progressed = true;
                this.needFlush = false;
              }
              return Pending;
            }
          } else {
            progressed = true;
          }
        }
        while (this.pos < this.cap) {
          const i = this.#pollWriteBuf(cx, reader, writer);
          if (i === Pending) return Pending;
          progressed = true;
          if (i === 0) throw new IoError("WriteZero", "write zero byte into writer");
          this.pos += i;
          this.amt += i;
          this.needFlush = true;
        }
        this.pos = 0;
        this.cap = 0;
        if (this.readDone) {
          if (writer.pollFlush(cx) === Pending) return Pending;
          progressed = true;
          return this.amt;
        }
      }
    } finally {
      if (!progressed) restore(coop);
    }
  }
}

class Copy extends FutureBase<number> {
  readonly #buf = new CopyBuffer();

  constructor(
    readonly reader: AsyncRead,
    readonly writer: AsyncWrite,
  ) {
    super();
  }

  poll(cx: Context): Poll<number> {
    return this.#buf.pollCopy(cx, this.reader, this.writer);
  }
}

export function copy(reader: AsyncRead, writer: AsyncWrite): Future<number> {
  return new Copy(reader, writer);
}
