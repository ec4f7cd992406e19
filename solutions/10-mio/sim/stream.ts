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
import type { SocketAddr } from "../addr.ts";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDHUP } from "../epoll.ts";
import { IoError, WouldBlock } from "../io-error.ts";
import type { Shutdown, TcpStream } from "../net.ts";
import { SysSource } from "../source.ts";
import { VecDeque } from "#kit/vec-deque";
import type { SimNetwork } from "./network.ts";
import { DATA, FIN, RST } from "./packet.ts";

const CONNECTING = 0;
const ESTABLISHED = 1;
const DEAD = 2;

export class SimTcpStream extends SysSource implements TcpStream {
  readonly needsEventLoop = false;
  override readonly device: SimNetwork;
  #state = CONNECTING;
  #peer: SimTcpStream | null = null;
  /** Received, unread data: chunks, an offset into the first, and the total. */
  readonly #rx = new VecDeque<Uint8Array>();
  #rxOffset = 0;
  #rxLength = 0;
  #finReceived = false;
  #readShut = false;
  #writeShut = false;
  /** Bytes we wrote that the peer has not read yet (in flight or unread): at most `capacity`. */
  #txUsed = 0;
  #error: IoError | null = null;
  #closed = false;
  #zeroLinger = false;

  constructor(
    readonly net: SimNetwork,
    readonly local: SocketAddr,
    readonly remote: SocketAddr,
    readonly capacity: number,
  ) {
    super();
    this.device = net;
  }

  readiness(): number {
    switch (this.#state) {
      case CONNECTING:
        return 0;
      case DEAD:
        return EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP | (this.#error !== null ? EPOLLERR : 0);
    }
    let bits = 0;
    const readEnded = this.#finReceived || this.#readShut;
    if (this.#rxLength > 0 || readEnded) bits |= EPOLLIN;
    if (readEnded) bits |= EPOLLRDHUP;
    if (this.#writeShut || this.#txUsed < this.capacity) bits |= EPOLLOUT;
    if (readEnded && this.#writeShut) bits |= EPOLLHUP;
    return bits;
  }

  read(buf: Uint8Array): number | WouldBlock {
    this.net.catchUp();
    this.#throwPendingError();
    if (this.#state === CONNECTING) return WouldBlock;
    if (this.#state === DEAD || this.#readShut) return 0;
    if (this.#rxLength === 0) return this.#finReceived ? 0 : WouldBlock;
    let n = 0;
    while (n < buf.length && this.#rxLength > 0) {
      const chunk = this.#rx.peekFront()!;
      const k = Math.min(chunk.length - this.#rxOffset, buf.length - n);
      buf.set(chunk.subarray(this.#rxOffset, this.#rxOffset + k), n);
      n += k;
      this.#rxLength -= k;
      this.#rxOffset += k;
      if (this.#rxOffset === chunk.length) {
        this.#rx.popFront();
        this.#rxOffset = 0;
      }
    }
    this.wakeup();
    this.#peer?.freed(n);
    return n;
  }

  write(buf: Uint8Array): number | WouldBlock {
    this.net.catchUp();
    this.#throwPendingError();
    if (this.#state === CONNECTING) return WouldBlock;
    if (this.#state === DEAD || this.#writeShut) throw IoError.os("EPIPE");
    if (buf.length === 0) return 0;
    const room = this.capacity - this.#txUsed;
    if (room === 0) return WouldBlock;
    const n = Math.min(room, buf.length);
    this.#txUsed += n;
    this.wakeup();
    const peer = this.#peer!;
    // A closed peer has no one to read: its side answers with a reset.
    if (peer.#closed) this.net.send(RST, this, null);
    else this.net.send(DATA, peer, buf.slice(0, n));
    return n;
  }

  shutdown(how: Shutdown): void {
    this.net.catchUp();
    if (this.#state !== ESTABLISHED) throw IoError.os("ENOTCONN");
    if (how !== "write" && !this.#readShut) {
      this.#readShut = true;
      this.#discardReceived();
    }
    if (how !== "read" && !this.#writeShut) {
      this.#writeShut = true;
      this.net.send(FIN, this.#peer!, null);
    }
    this.wakeup();
  }

  takeError(): IoError | undefined {
    this.net.catchUp();
    const e = this.#error;
    if (e === null) return undefined;
    this.#error = null;
    this.wakeup();
    return e;
  }

  peerAddr(): SocketAddr {
    if (this.#state !== ESTABLISHED) throw IoError.os("ENOTCONN");
    return this.remote;
  }

  localAddr(): SocketAddr {
    return this.local;
  }

  setNodelay(_nodelay: boolean): void {}

  setZeroLinger(): void {
    this.#zeroLinger = true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.detach();
    const peer = this.#peer;
    if (this.#state !== ESTABLISHED || peer === null) return;
    // Linux resets instead of closing gracefully when unread data would be thrown away.
    if (this.#zeroLinger || this.#rxLength > 0) this.net.send(RST, peer, null);
    else if (!this.#writeShut) this.net.send(FIN, peer, null);
  }

  isClosed(): boolean {
    return this.#closed;
  }

  // ---- the network's side: packets arriving ----

  established(peer: SimTcpStream): void {
    this.#peer = peer;
    this.#state = ESTABLISHED;
    this.wakeup();
  }

  refused(): void {
    this.#die(IoError.os("ECONNREFUSED"));
  }

  receive(data: Uint8Array): void {
    if (this.#closed) {
      this.net.send(RST, this.#peer!, null);
      return;
    }
    if (this.#state !== ESTABLISHED) return;
    if (this.#readShut) {
      this.#peer?.freed(data.length);
      return;
    }
    this.#rx.pushBack(data);
    this.#rxLength += data.length;
    this.wakeup();
  }

  receiveFin(): void {
    this.#finReceived = true;
    this.wakeup();
  }

  receiveRst(): void {
    if (this.#closed || this.#state === DEAD) return;
    this.#die(IoError.os("ECONNRESET"));
  }

  /** The peer read `n` of our bytes: room in the pipe again. */
  freed(n: number): void {
    this.#txUsed -= n;
    this.wakeup();
  }

  #die(error: IoError): void {
    this.#state = DEAD;
    this.#error = error;
    this.#discardReceived();
    this.wakeup();
  }

  #discardReceived(): void {
    this.#peer?.freed(this.#rxLength);
    this.#rx.clear();
    this.#rxOffset = 0;
    this.#rxLength = 0;
  }

  #throwPendingError(): void {
    const e = this.#error;
    if (e !== null) {
      this.#error = null;
      this.wakeup();
      throw e;
    }
  }
}
