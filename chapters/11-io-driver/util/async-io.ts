/**
 * `AsyncRead` and `AsyncWrite` (Tokio's `io/async_read.rs`, `io/async_write.rs`): what the I/O utilities need
 * of a reader or a writer.
 *
 * - `pollRead(cx, buf)`: the number of bytes read into `buf` (from index 0), 0 at the end of the stream, or
 *   `Pending` (the waker is stored). Tokio fills a `ReadBuf`; we return the count.
 * - `pollWrite(cx, buf)`: the number of bytes of `buf` accepted (0 only if `buf` is empty or the writer can take
 *   no more, ever), or `Pending`.
 * - `pollFlush(cx)`: everything accepted has been handed on; `pollShutdown(cx)`: the writing half is closed.
 * Errors are thrown.
 */
import type { Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";

export interface AsyncRead {
  pollRead(cx: Context, buf: Uint8Array): Poll<number>;
}

export interface AsyncWrite {
  pollWrite(cx: Context, buf: Uint8Array): Poll<number>;
  pollFlush(cx: Context): Poll<void>;
  pollShutdown(cx: Context): Poll<void>;
}
