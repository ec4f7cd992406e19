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
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { IoError } from "#kata/10-mio";
import type { AsyncRead } from "#kata/11-io-driver";

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

const INITIAL_CAPACITY = 8 * 1024;

export class FramedRead<T> {
  readonly #reader: AsyncRead;
  readonly #decoder: Decoder<T>;
  #buf = new Uint8Array(INITIAL_CAPACITY);
  /** Unread bytes are `#buf[#start, #end)`. */
  #start = 0;
  #end = 0;
  #eof = false;

  constructor(reader: AsyncRead, decoder: Decoder<T>) {
    this.#reader = reader;
    this.#decoder = decoder;
  }

  /** The next frame; `undefined` at the end of the stream. Cancel-safe. */
  next(): Future<T | undefined> {
    return new Next(this);
  }

  /** Bytes read from the stream and not yet part of a frame. */
  buffered(): Uint8Array {
    return this.#buf.subarray(this.#start, this.#end);
  }

  pollNext(cx: Context): Poll<T | undefined> {
    for (;;) {
      const buf = this.buffered();
      const decoded = this.#eof ? this.#decodeEof(buf) : this.#decoder.decode(buf);
      if (decoded !== undefined) {
        this.#start += decoded[1];
        return decoded[0];
      }
      if (this.#eof) return undefined;
      this.#reserve();
      const n = this.#reader.pollRead(cx, this.#buf.subarray(this.#end));
      if (n === Pending) return Pending;
      if (n === 0) this.#eof = true;
      this.#end += n;
    }
  }

  #decodeEof(buf: Uint8Array): [T, number] | undefined {
    const decoder = this.#decoder;
    if (decoder.decodeEof !== undefined) return decoder.decodeEof(buf);
    const decoded = decoder.decode(buf);
    if (decoded === undefined && buf.length > 0) throw new IoError("Other", "bytes remaining on stream");
    return decoded;
  }

  /** Makes room at the end: slide the unread bytes to the front, or double the buffer when it is full. */
  #reserve(): void {
    if (this.#end < this.#buf.length) return;
    const unread = this.#end - this.#start;
    const target = unread < this.#buf.length ? this.#buf : new Uint8Array(this.#buf.length * 2);
    target.set(this.#buf.subarray(this.#start, this.#end));
    this.#buf = target;
    this.#start = 0;
    this.#end = unread;
  }
}

class Next<T> extends FutureBase<T | undefined> {
  constructor(readonly framed: FramedRead<T>) {
    super();
  }

  poll(cx: Context): Poll<T | undefined> {
    return this.framed.pollNext(cx);
  }
}

/**
 * tokio-util's `LinesCodec`: frames end with `\n`; the line comes without it (and without a `\r` before it). At the
 * end of the stream, what is left (if anything but a lone `\r`) is a last line.
 */
export class LinesCodec implements Decoder<string> {
  readonly #text = new TextDecoder();

  decode(buf: Uint8Array): [string, number] | undefined {
    const nl = buf.indexOf(0x0a);
    if (nl < 0) return undefined;
    return [this.#line(buf.subarray(0, nl)), nl + 1];
  }

  decodeEof(buf: Uint8Array): [string, number] | undefined {
    const decoded = this.decode(buf);
    if (decoded !== undefined || buf.length === 0 || (buf.length === 1 && buf[0] === 0x0d)) return decoded;
    return [this.#line(buf), buf.length];
  }

  #line(bytes: Uint8Array): string {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    return this.#text.decode(bytes.subarray(0, end));
  }
}
