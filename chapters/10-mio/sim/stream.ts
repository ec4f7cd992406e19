/**
 * `SimTcpStream`: one end of a simulated connection.
 *
 * State: connecting → established (or refused); then any of: our writing half shut (we sent FIN), the peer's
 * FIN received (reads end after the data), our reading half shut, reset (RST received: the connection is dead).
 * Errors are pending until collected once, by `read`, `write` or `takeError()`, as SO_ERROR is.
 *
 * Readiness as epoll bits (what Linux's `tcp_poll` reports):
 * - connecting: nothing;
 * - dead (refused or reset): IN | OUT | RDHUP | HUP, plus ERR while the error is pending;
 * - otherwise IN when there is data, the end of the stream, or the reading half is shut; RDHUP with those last
 *   two; OUT when the pipe has room or our writing half is shut; HUP when both directions are closed.
 * Every change calls `wakeup()`.
 */
import { todo } from "#kit/todo";
import type { SocketAddr } from "../addr.ts";
import type { IoError, WouldBlock } from "../io-error.ts";
import type { Shutdown, TcpStream } from "../net.ts";
import { SysSource } from "../source.ts";
import type { SimNetwork } from "./network.ts";

export class SimTcpStream extends SysSource implements TcpStream {
  readonly needsEventLoop = false;
  override readonly device: SimNetwork;
  // Sketch: the state (connecting, established, dead), the peer, the received chunks (a VecDeque<Uint8Array>)
  // with an offset into the first and the total unread, FIN received, read/write halves shut, the bytes we sent
  // that the peer has not read (`txUsed`, at most `capacity`), the pending error, closed, zero linger.

  constructor(
    readonly net: SimNetwork,
    readonly local: SocketAddr,
    readonly remote: SocketAddr,
    /** Bytes each direction holds (in flight plus unread). */
    readonly capacity: number,
  ) {
    super();
    this.device = net;
  }

  readiness(): number {
    return todo("10-mio", "SimTcpStream.readiness");
  }

  /**
   * Catches the network up, then: a pending error is thrown (and cleared); connecting: WouldBlock; dead or
   * reading half shut: 0; nothing received: 0 after FIN, else WouldBlock; otherwise copies as much as fits and
   * tells the peer (`freed(n)`).
   */
  read(buf: Uint8Array): number | WouldBlock {
    return todo("10-mio", "SimTcpStream.read");
  }

  /**
   * Catches the network up, then: a pending error is thrown (and cleared); connecting: WouldBlock; dead or
   * writing half shut: `IoError.os("EPIPE")`; an empty buffer: 0; no room: WouldBlock; otherwise sends what fits
   * (a copy) as DATA, or, if the peer is closed, draws an RST back to ourselves; returns the count.
   */
  write(buf: Uint8Array): number | WouldBlock {
    return todo("10-mio", "SimTcpStream.write");
  }

  /** Not established: ENOTCONN. "read" discards what was received; "write" sends FIN; "both" does both. */
  shutdown(how: Shutdown): void {
    todo("10-mio", "SimTcpStream.shutdown");
  }

  takeError(): IoError | undefined {
    return todo("10-mio", "SimTcpStream.takeError");
  }

  /** The remote address; ENOTCONN unless established. */
  peerAddr(): SocketAddr {
    return todo("10-mio", "SimTcpStream.peerAddr");
  }

  localAddr(): SocketAddr {
    return todo("10-mio", "SimTcpStream.localAddr");
  }

  setNodelay(_nodelay: boolean): void {
    todo("10-mio", "SimTcpStream.setNodelay");
  }

  setZeroLinger(): void {
    todo("10-mio", "SimTcpStream.setZeroLinger");
  }

  /**
   * Closes once: leaves the selector (`detach()`); if established, sends RST when linger is zero or data is left
   * unread, else FIN (unless the writing half was already shut).
   */
  close(): void {
    todo("10-mio", "SimTcpStream.close");
  }

  isClosed(): boolean {
    return todo("10-mio", "SimTcpStream.isClosed");
  }

  // ---- the network's side: packets arriving ----

  /** The SYN went through: connected to `peer`. */
  established(peer: SimTcpStream): void {
    todo("10-mio", "SimTcpStream.established");
  }

  /** Nobody accepted the SYN: dead, with ConnectionRefused pending. */
  refused(): void {
    todo("10-mio", "SimTcpStream.refused");
  }

  /** Data arrived. If this socket is closed, the peer gets an RST instead. */
  receive(data: Uint8Array): void {
    todo("10-mio", "SimTcpStream.receive");
  }

  receiveFin(): void {
    todo("10-mio", "SimTcpStream.receiveFin");
  }

  /** Dead, with ConnectionReset pending and what was received discarded (unless closed or already dead). */
  receiveRst(): void {
    todo("10-mio", "SimTcpStream.receiveRst");
  }

  /** The peer read (or discarded) `n` of our bytes: room in the pipe again. */
  freed(n: number): void {
    todo("10-mio", "SimTcpStream.freed");
  }
}
