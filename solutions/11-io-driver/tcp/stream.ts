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
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { Interest, type IoError, type SocketAddr, type TcpStream as MioTcpStream } from "#kata/10-mio";
import type { IoHandle } from "../driver.ts";
import { currentIoHandle } from "../errors.ts";
import { PollEvented } from "../poll-evented.ts";
import type { AsyncRead, AsyncWrite } from "../util/async-io.ts";
import { read, shutdown, write } from "../util/read.ts";

const READABLE_WRITABLE = Interest.READABLE.add(Interest.WRITABLE);

export class TcpStream implements AsyncRead, AsyncWrite, Disposable {
  readonly #io: PollEvented<MioTcpStream>;

  private constructor(io: PollEvented<MioTcpStream>) {
    this.#io = io;
  }

  /** Wraps a connected mio stream, registering it with the driver of `handle` (Tokio's `TcpStream::new`). */
  static fromMio(stream: MioTcpStream, handle: IoHandle = currentIoHandle()): TcpStream {
    return new TcpStream(new PollEvented(stream, READABLE_WRITABLE, handle));
  }

  /** Wraps a registered, connected stream (the end of `connect`). */
  static fromEvented(io: PollEvented<MioTcpStream>): TcpStream {
    return new TcpStream(io);
  }

  /** Connects to `addr` on the current runtime's network. */
  static connect(addr: string | SocketAddr): Future<TcpStream> {
    return new Connect(addr);
  }

  /** Reads into `buf`: the number of bytes read, 0 at the end of the stream. */
  read(buf: Uint8Array): Future<number> {
    return read(this, buf);
  }

  /** Writes from `buf`: the number of bytes accepted (maybe fewer than `buf.length`). */
  write(buf: Uint8Array): Future<number> {
    return write(this, buf);
  }

  /** Shuts the writing half down (Tokio's `AsyncWriteExt::shutdown`): the peer reads the end of the stream. */
  shutdown(): Future<void> {
    return shutdown(this);
  }

  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    return this.#io.pollRead(cx, buf);
  }

  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    return this.#io.pollWrite(cx, buf);
  }

  /** A TCP socket keeps nothing back: always flushed. */
  pollFlush(_cx: Context): Poll<void> {
    return undefined;
  }

  pollShutdown(_cx: Context): Poll<void> {
    try {
      this.#io.io.shutdown("write");
    } catch (e) {
      // Tokio's `shutdown_std`: a socket that is no longer connected has nothing left to shut.
      if ((e as IoError).kind !== "NotConnected") throw e;
    }
    return undefined;
  }

  localAddr(): SocketAddr {
    return this.#io.io.localAddr();
  }

  peerAddr(): SocketAddr {
    return this.#io.io.peerAddr();
  }

  takeError(): IoError | undefined {
    return this.#io.io.takeError();
  }

  setNodelay(nodelay: boolean): void {
    this.#io.io.setNodelay(nodelay);
  }

  /** Makes `close()` reset the connection (SO_LINGER 0, Tokio's `set_zero_linger`). */
  setZeroLinger(): void {
    this.#io.io.setZeroLinger();
  }

  /** Deregisters and closes the socket (Rust drops it). */
  close(): void {
    this.#io[Symbol.dispose]();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

class Connect extends FutureBase<TcpStream> {
  readonly #addr: string | SocketAddr;
  #io: PollEvented<MioTcpStream> | null = null;

  constructor(addr: string | SocketAddr) {
    super();
    this.#addr = addr;
  }

  poll(cx: Context): Poll<TcpStream> {
    let io = this.#io;
    if (io === null) {
      const handle = currentIoHandle();
      io = this.#io = new PollEvented(handle.network.connect(this.#addr), READABLE_WRITABLE, handle);
    }
    if (io.registration.pollWriteReady(cx) === Pending) return Pending;
    this.#io = null;
    const error = io.io.takeError();
    if (error !== undefined) {
      io[Symbol.dispose]();
      throw error;
    }
    return TcpStream.fromEvented(io);
  }

  [Symbol.dispose](): void {
    this.#io?.[Symbol.dispose]();
    this.#io = null;
  }
}
