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
import type { Future } from "#kata/01-poll";
import type { TcpStream } from "#kata/11-io-driver";
import type { Decoder } from "#kata/18-select-cancel";
import { todo } from "#kit/todo";
import type { Frame, ProtocolError } from "./frame.ts";

/** RESP as a tokio-util `Decoder`: a frame, or the protocol error that stands for the bytes it skips. */
export class RespDecoder implements Decoder<Frame | ProtocolError> {
  /** `parseFrame`; a `ProtocolError` comes back as `[error, error.skip]`. */
  decode(buf: Uint8Array): [Frame | ProtocolError, number] | undefined {
    return todo("19-capstone", "RespDecoder.decode");
  }

  /** At the end of the stream: as `decode`, but bytes left that make no frame are `IoError("ConnectionReset", "connection reset by peer")`. */
  decodeEof(buf: Uint8Array): [Frame | ProtocolError, number] | undefined {
    return todo("19-capstone", "RespDecoder.decodeEof");
  }
}

export class Connection {
  // Sketch: a `FramedRead<Frame | ProtocolError>` over the stream with a `RespDecoder`.

  constructor(readonly stream: TcpStream) {
    todo("19-capstone", "new Connection");
  }

  /** The next frame; undefined at a clean end of stream. Throws `ProtocolError` (already skipped). Cancel-safe. */
  readFrame(): Future<Frame | undefined> {
    return todo("19-capstone", "Connection.readFrame");
  }

  /** Writes the whole frame. */
  writeFrame(frame: Frame): Future<void> {
    return todo("19-capstone", "Connection.writeFrame");
  }
}
