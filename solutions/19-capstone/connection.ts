/**
 * `Connection` (mini-redis's `connection.rs`): frames in and out of a byte stream.
 *
 *     const conn = new Connection(stream);
 *     const frame = yield* conn.readFrame();        // undefined: the peer closed the connection cleanly
 *     yield* conn.writeFrame(simple("OK"));
 *
 * Reading goes through chapter 18's `FramedRead` with `RespDecoder`, so the unread bytes live in the connection and
 * `readFrame()` is cancel-safe: drop it in a `select` and the next one starts where it left off.
 * - A malformed frame: the decoder hands the `ProtocolError` up *as a frame* together with the bytes it covers, so
 *   `FramedRead` drops them; `readFrame()` then throws it. The connection is still usable: read on.
 * - The stream ends between frames: `undefined`. It ends in the middle of a frame: an `IoError` of kind
 *   `ConnectionReset`, "connection reset by peer" (mini-redis's words).
 *
 * Writing encodes the frame and writes all of it (`writeAll`, chapter 11); not cancel-safe, so never a `select`
 * branch.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { IoError } from "#kata/10-mio";
import { writeAll, type TcpStream } from "#kata/11-io-driver";
import { FramedRead, type Decoder } from "#kata/18-select-cancel";
import { ProtocolError, encodeFrame, parseFrame, type Frame } from "./frame.ts";

/** RESP as a tokio-util `Decoder`: a frame, or the protocol error that stands for the bytes it skips. */
export class RespDecoder implements Decoder<Frame | ProtocolError> {
  decode(buf: Uint8Array): [Frame | ProtocolError, number] | undefined {
    try {
      return parseFrame(buf);
    } catch (e) {
      if (e instanceof ProtocolError) return [e, e.skip];
      throw e;
    }
  }

  decodeEof(buf: Uint8Array): [Frame | ProtocolError, number] | undefined {
    const decoded = this.decode(buf);
    if (decoded === undefined && buf.length > 0) throw new IoError("ConnectionReset", "connection reset by peer");
    return decoded;
  }
}

export class Connection {
  readonly #frames: FramedRead<Frame | ProtocolError>;

  constructor(readonly stream: TcpStream) {
    this.#frames = new FramedRead(stream, new RespDecoder());
  }

  /** The next frame; undefined at a clean end of stream. Throws `ProtocolError` (already skipped). Cancel-safe. */
  readFrame(): Future<Frame | undefined> {
    return new ReadFrame(this.#frames);
  }

  /** Writes the whole frame. */
  writeFrame(frame: Frame): Future<void> {
    return writeAll(this.stream, encodeFrame(frame));
  }
}

class ReadFrame extends FutureBase<Frame | undefined> {
  constructor(readonly frames: FramedRead<Frame | ProtocolError>) {
    super();
  }

  poll(cx: Context): Poll<Frame | undefined> {
    const next = this.frames.pollNext(cx);
    if (next instanceof ProtocolError) throw next;
    return next;
  }
}
