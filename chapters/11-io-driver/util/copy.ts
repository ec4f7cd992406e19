/**
 * `copy(reader, writer)` (Tokio's `io/util/copy.rs`): moves everything from `reader` to `writer`.
 *
 * Resolves to the number of bytes copied, once the reader reaches the end of its stream and the writer has
 * been flushed (the writer is not shut down). Through one buffer of `DEFAULT_BUF_SIZE` (8 KiB), Tokio's
 * `CopyBuffer`:
 * - while the buffer has room and the reader has not ended, read into it; a pending read is ignored if there
 *   is data to write (write what we have rather than wait); with nothing to write, flush if something was written
 *   since the last flush, and return `Pending`;
 * - write out what the buffer holds; if the write is pending and there is room, read a little more first;
 * - a write of 0 bytes is `WriteZero` ("write zero byte into writer");
 * - one unit of budget for the whole poll, spent up front (`pollProceed`), kept once anything moved (or failed),
 *   given back (`restore`) if the poll made no progress.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { AsyncRead, AsyncWrite } from "./async-io.ts";

export const DEFAULT_BUF_SIZE = 8 * 1024;

// Sketch: a `CopyBuffer` { readDone, needFlush, pos, cap, amt, buf } with `pollCopy(cx, reader, writer)`, and a
// `Copy` future holding one.

export function copy(reader: AsyncRead, writer: AsyncWrite): Future<number> {
  return todo("11-io-driver", "copy");
}
