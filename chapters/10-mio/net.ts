/**
 * The network interface (mio's `net/tcp/`): non-blocking TCP sockets, and the `Network` that makes them.
 *
 * mio's `TcpListener::bind` and `TcpStream::connect` talk to the one operating system; here a `Network` stands
 * for it, so the same code runs over the deterministic simulated network (`SimNetwork`) or real sockets
 * (`NodeNetwork`). Every socket is a `Source` for any `Poll`, and every operation returns at once:
 *
 * - `connect` returns a stream whose connection is **in progress** (EINPROGRESS): register it for writable
 *   readiness; the writable event announces the outcome, and `takeError()` (SO_ERROR) tells which;
 * - `read` returns the bytes read (0 at the end of the stream) or `WouldBlock`; a read shorter than the buffer
 *   means the socket was drained, as on Linux;
 * - `write` returns the bytes accepted (perhaps fewer than offered: the buffer filled up) or `WouldBlock`;
 * - `accept` returns `[stream, peerAddress]` or `WouldBlock`;
 * - failures (refused, reset, broken pipe) are thrown as `IoError` and collected once: an error reported by
 *   `read`, `write` or `takeError()` is not reported again.
 * On Node, binding is asynchronous too: until it completes, `localAddr()` throws `NotConnected`; the outcome is
 * announced by a readable event and, on failure, `takeError()`.
 */
import type { SocketAddr } from "./addr.ts";
import type { IoError, WouldBlock } from "./io-error.ts";
import type { Source } from "./source.ts";

export type Shutdown = "read" | "write" | "both";

export interface TcpStream extends Source {
  read(buf: Uint8Array): number | WouldBlock;
  write(buf: Uint8Array): number | WouldBlock;
  /** Closes one or both directions; the peer reads the end of the stream after what was written. */
  shutdown(how: Shutdown): void;
  /** The pending error (SO_ERROR), cleared by reading it. */
  takeError(): IoError | undefined;
  peerAddr(): SocketAddr;
  localAddr(): SocketAddr;
  setNodelay(nodelay: boolean): void;
  /** Makes `close()` reset the connection instead of closing it gracefully (SO_LINGER with a zero timeout). */
  setZeroLinger(): void;
  /** Closes the socket (Rust drops it): a graceful close, or a reset if unread data is left or linger is zero. */
  close(): void;
}

export interface TcpListener extends Source {
  accept(): [TcpStream, SocketAddr] | WouldBlock;
  localAddr(): SocketAddr;
  takeError(): IoError | undefined;
  /** Stops listening; connections not yet accepted are reset. */
  close(): void;
}

export interface Network {
  readonly kind: "simulated" | "node";
  bind(addr: string | SocketAddr): TcpListener;
  connect(addr: string | SocketAddr): TcpStream;
  /**
   * When the network will next change on its own clock (a delayed delivery), or `undefined` if it will not
   * (nothing in flight, or real sockets, which Node's event loop delivers).
   */
  nextDeadline(): number | undefined;
}
