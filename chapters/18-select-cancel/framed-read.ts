/**
 * `FramedRead` (tokio-util's `codec/framed_read.rs`, and mini-redis's `Connection::read_frame`): frames out of a
 * byte stream, cancel-safe.
 *
 *     const lines = new FramedRead(stream, new LinesCodec());
 *     for (;;) {
 *       const next = yield* select([
 *         branch(lines.next(), (line) => line),
 *         branch(shutdown.cancelled(), () => undefined),
 *       ]);
 *       if (next === undefined) break;        // cancelled, or the peer closed the stream
 *       ...
 *     }
 *
 * Why it is cancel-safe where chapter 11's `readExact` is not: `readExact(stream, buf)` keeps how far it got in the
 * *future*, so dropping the future (a `select` that another branch won) forgets bytes it already took off the
 * socket. Here the bytes live in the *reader's* buffer, and a `next()` future owns nothing: drop it at any point and
 * the next `next()` finds every byte where the last one left it.
 *
 *     next():  loop
 *                decode(buffer) (decodeEof once the stream ended) gives [frame, used]?
 *                                          drop `used` bytes from the front, return frame
 *                the stream ended?         undefined
 *                read from the stream into the free end of the buffer (growing it); 0 bytes: the stream ended
 *
 * Invariants: bytes leave the buffer only inside a `decode` that returned a frame; the buffer keeps unread bytes in
 * order; after the end of the stream every `next()` returns `undefined` (once the buffer is empty).
 *
 * Task 4 of the lesson.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { AsyncRead } from "#kata/11-io-driver";
import { todo } from "#kit/todo";

/** tokio-util's `Decoder`. Throw on bytes that cannot be a frame. */
export interface Decoder<T> {
  /** A frame from the front of `buf` and the bytes it used, or `undefined` for "need more bytes". */
  decode(buf: Uint8Array): [frame: T, used: number] | undefined;
  /**
   * At the end of the stream: the last frames from what is left. Default: `decode`, and when that gives nothing
   * while bytes are left, throw `IoError("Other", "bytes remaining on stream")`.
   */
  decodeEof?(buf: Uint8Array): [frame: T, used: number] | undefined;
}

export class FramedRead<T> {
  // Sketch: the reader, the decoder, a growable `Uint8Array` (start with 8 KiB) with the unread bytes between two
  // indices, and an end-of-stream flag.

  constructor(reader: AsyncRead, decoder: Decoder<T>) {
    todo("18-select-cancel", "FramedRead.constructor");
  }

  /** The next frame; `undefined` at the end of the stream. Cancel-safe: a future over `pollNext`. */
  next(): Future<T | undefined> {
    return todo("18-select-cancel", "FramedRead.next");
  }

  /** Bytes read from the stream and not yet part of a frame. */
  buffered(): Uint8Array {
    return todo("18-select-cancel", "FramedRead.buffered");
  }

  /**
   * The loop of the module comment. When the buffer is full, slide the unread bytes to the front, or double it if
   * they fill it; then read into the free end (`reader.pollRead(cx, free part)`); 0 bytes read: the stream ended.
   */
  pollNext(cx: Context): Poll<T | undefined> {
    return todo("18-select-cancel", "FramedRead.pollNext");
  }
}

/**
 * tokio-util's `LinesCodec`: frames end with `\n`; the line comes without it (and without a `\r` before it). At the
 * end of the stream, what is left (if anything but a lone `\r`) is a last line.
 */
export class LinesCodec implements Decoder<string> {
  decode(buf: Uint8Array): [string, number] | undefined {
    return todo("18-select-cancel", "LinesCodec.decode");
  }

  decodeEof(buf: Uint8Array): [string, number] | undefined {
    return todo("18-select-cancel", "LinesCodec.decodeEof");
  }
}
