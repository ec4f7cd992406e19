/**
 * `TcpStream` (Tokio's `net/tcp/stream.rs`): a connected TCP socket on the runtime's I/O driver.
 *
 *     const stream = yield* TcpStream.connect("127.0.0.1:8080");
 *     yield* writeAll(stream, request);
 *     const n = yield* stream.read(buf);        // 0: the peer closed its writing half
 *     yield* stream.shutdown();                 // we are done writing: the peer reads the end of the stream
 *     stream.close();                           // or `using stream = ...`
 *
 * `connect` is the non-blocking connect of mio and seed 7.2: the network's `connect` returns at once with the
 * connection in progress; the future registers it, waits for **write** readiness, then reads the outcome with
 * `takeError()` (SO_ERROR) and throws it (`ConnectionRefused`) or resolves to the stream.
 * Reading and writing go through `PollEvented`. A reset connection throws `ConnectionReset`; writing after the
 * peer is gone throws `BrokenPipe` (or `ConnectionReset`). The stream is both `AsyncRead` and `AsyncWrite`, so
 * `copy(stream, stream)` is an echo. Dropping the connect future before it completes closes the socket.
 */
import type { Future, Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { IoError, SocketAddr, TcpStream as MioTcpStream } from "#kata/10-mio";
import { todo } from "#kit/todo";
import type { IoHandle } from "../driver.ts";
import { currentIoHandle } from "../errors.ts";
import type { PollEvented } from "../poll-evented.ts";
import type { AsyncRead, AsyncWrite } from "../util/async-io.ts";

// Sketch: a `Connect` future (extends FutureBase<TcpStream>): on its first poll it makes the connection on
// `currentIoHandle().network` and wraps it in a `PollEvented` (READABLE | WRITABLE); then it waits for write
// readiness, takes the error (dispose and throw it) or hands the `PollEvented` to `TcpStream.fromEvented`. Its
// `[Symbol.dispose]` closes a connection it has not handed over.

export class TcpStream implements AsyncRead, AsyncWrite, Disposable {
  // Sketch: the PollEvented<MioTcpStream>.

  private constructor(io: PollEvented<MioTcpStream>) {
    todo("11-io-driver", "TcpStream.constructor");
  }

  /** Wraps a connected mio stream, registering it with the driver of `handle` (Tokio's `TcpStream::new`). */
  static fromMio(stream: MioTcpStream, handle: IoHandle = currentIoHandle()): TcpStream {
    return todo("11-io-driver", "TcpStream.fromMio");
  }

  /** Wraps a registered, connected stream (the end of `connect`). */
  static fromEvented(io: PollEvented<MioTcpStream>): TcpStream {
    return todo("11-io-driver", "TcpStream.fromEvented");
  }

  /** Connects to `addr` on the current runtime's network. */
  static connect(addr: string | SocketAddr): Future<TcpStream> {
    return todo("11-io-driver", "TcpStream.connect");
  }

  /** Reads into `buf`: the number of bytes read, 0 at the end of the stream (util/read.ts's `read`). */
  read(buf: Uint8Array): Future<number> {
    return todo("11-io-driver", "TcpStream.read");
  }

  /** Writes from `buf`: the number of bytes accepted (maybe fewer than `buf.length`). */
  write(buf: Uint8Array): Future<number> {
    return todo("11-io-driver", "TcpStream.write");
  }

  /** Shuts the writing half down (Tokio's `AsyncWriteExt::shutdown`): the peer reads the end of the stream. */
  shutdown(): Future<void> {
    return todo("11-io-driver", "TcpStream.shutdown");
  }

  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    return todo("11-io-driver", "TcpStream.pollRead");
  }

  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    return todo("11-io-driver", "TcpStream.pollWrite");
  }

  /** A TCP socket keeps nothing back: always flushed. */
  pollFlush(_cx: Context): Poll<void> {
    return todo("11-io-driver", "TcpStream.pollFlush");
  }

  /** `shutdown("write")` on the socket, at once; `NotConnected` is not an error (Tokio's `shutdown_std`). */
  pollShutdown(_cx: Context): Poll<void> {
    return todo("11-io-driver", "TcpStream.pollShutdown");
  }

  localAddr(): SocketAddr {
    return todo("11-io-driver", "TcpStream.localAddr");
  }

  peerAddr(): SocketAddr {
    return todo("11-io-driver", "TcpStream.peerAddr");
  }

  takeError(): IoError | undefined {
    return todo("11-io-driver", "TcpStream.takeError");
  }

  setNodelay(nodelay: boolean): void {
    todo("11-io-driver", "TcpStream.setNodelay");
  }

  /** Makes `close()` reset the connection (SO_LINGER 0, Tokio's `set_zero_linger`). */
  setZeroLinger(): void {
    todo("11-io-driver", "TcpStream.setZeroLinger");
  }

  /** Deregisters and closes the socket (Rust drops it). */
  close(): void {
    todo("11-io-driver", "TcpStream.close");
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
