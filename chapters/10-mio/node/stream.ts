/**
 * `NodeTcpStream`: a non-blocking facade over a `node:net` socket.
 *
 * Node pushes; mio's callers pull. The facade keeps what Node delivered and answers from it:
 * - `data` chunks are queued as Node hands them over (no copy) and copied once, into the reader's buffer; past
 *   `RX_HIGH_WATER` unread bytes the socket is paused (resumed below half of it), so TCP flow control pushes
 *   back on the peer;
 * - `write` accepts what fits under `TX_HIGH_WATER` bytes not yet flushed (one copy, into a reused slab: the
 *   caller keeps its buffer); once that is reached it returns `WouldBlock` until Node reports `drain` (the
 *   buffer emptied); the first write of a stretch of JavaScript leaves at once, the later ones are corked and
 *   leave together at the next tick (one `writev`), or as soon as they reach `TX_HIGH_WATER`;
 * - `connect`, `end`, `error`, `drain` become readiness changes (`wakeup()`), the error a pending SO_ERROR.
 * Half-closed connections stay open for writing (`allowHalfOpen`), as TCP allows. Closing with unread data, or
 * after `setZeroLinger()`, resets the connection (`resetAndDestroy`); otherwise the socket is ended once what
 * was written has been flushed (`destroySoon`), as closing a file descriptor lets the kernel finish sending.
 * Readiness bits follow the simulated stream's rules (see `sim/stream.ts`).
 */
import type { Socket } from "node:net";
import { todo } from "#kit/todo";
import type { SocketAddr } from "../addr.ts";
import type { IoError, WouldBlock } from "../io-error.ts";
import type { Shutdown, TcpStream } from "../net.ts";
import { SysSource } from "../source.ts";

/** Unread bytes past which the socket is paused. */
export const RX_HIGH_WATER = 256 * 1024;
/**
 * Bytes handed to Node and not yet flushed past which writes return `WouldBlock` until `drain`: the facade's
 * socket send buffer. Linux grows a TCP socket's from 16 KiB up to 4 MiB (`net.ipv4.tcp_wmem`); this size was
 * chosen by measurement (64 KiB made most 64 KiB writes wait for `drain`), and pushes back well before 4 MiB.
 */
export const TX_HIGH_WATER = 256 * 1024;

export class NodeTcpStream extends SysSource implements TcpStream {
  readonly needsEventLoop = true;
  // Sketch: the socket, the received chunks (a VecDeque<Buffer>) with an offset and a total, paused, connected,
  // end received, read/write halves shut, needs a drain, writes this tick, corked, the send slab and how much of it is used, dead,
  // the pending error, closed, zero linger;
  // and one handler per socket event, made once (arrow-function fields), not one closure per event.

  /** Wraps `socket` (connected, or still connecting) and listens to its events. */
  constructor(socket: Socket, connected: boolean) {
    super();
    todo("10-mio", "NodeTcpStream.constructor");
  }

  readiness(): number {
    return todo("10-mio", "NodeTcpStream.readiness");
  }

  read(buf: Uint8Array): number | WouldBlock {
    return todo("10-mio", "NodeTcpStream.read");
  }

  write(buf: Uint8Array): number | WouldBlock {
    return todo("10-mio", "NodeTcpStream.write");
  }

  /** "write" ends the socket (`socket.end()`); "read" discards what was received; not connected: ENOTCONN. */
  shutdown(how: Shutdown): void {
    todo("10-mio", "NodeTcpStream.shutdown");
  }

  takeError(): IoError | undefined {
    return todo("10-mio", "NodeTcpStream.takeError");
  }

  peerAddr(): SocketAddr {
    return todo("10-mio", "NodeTcpStream.peerAddr");
  }

  localAddr(): SocketAddr {
    return todo("10-mio", "NodeTcpStream.localAddr");
  }

  setNodelay(nodelay: boolean): void {
    todo("10-mio", "NodeTcpStream.setNodelay");
  }

  setZeroLinger(): void {
    todo("10-mio", "NodeTcpStream.setZeroLinger");
  }

  close(): void {
    todo("10-mio", "NodeTcpStream.close");
  }

  /** Ends this tick's batch: the writes held back leave together, and the next write goes out at once. */
  flushCorked(): void {
    todo("10-mio", "NodeTcpStream.flushCorked");
  }
}
