/**
 * `NodeTcpStream`: a non-blocking facade over a `node:net` socket.
 *
 * Node pushes; mio's callers pull. The facade keeps what Node delivered and answers from it:
 * - `data` chunks are queued as Node hands them over (no copy) and copied once, into the reader's buffer; past
 *   `RX_HIGH_WATER` unread bytes the socket is paused, so TCP flow control pushes back on the peer;
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
import { SocketAddr } from "../addr.ts";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDHUP } from "../epoll.ts";
import { IoError, WouldBlock } from "../io-error.ts";
import type { Shutdown, TcpStream } from "../net.ts";
import { SysSource } from "../source.ts";
import { VecDeque } from "#kit/vec-deque";

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
  readonly #socket: Socket;
  readonly #rx = new VecDeque<Buffer>();
  #rxOffset = 0;
  #rxLength = 0;
  #paused = false;
  #connected: boolean;
  #eof = false;
  #readShut = false;
  #writeShut = false;
  #needDrain = false;
  /** Writes since the last tick; from the second on they are corked, to leave together (one `writev`). */
  #tickWrites = 0;
  #corked = false;
  /** Written bytes are copied into this slab, from `#slabUsed` on. */
  #slab: Buffer | null = null;
  #slabUsed = 0;
  #dead = false;
  #error: IoError | null = null;
  #closed = false;
  #zeroLinger = false;

  constructor(socket: Socket, connected: boolean) {
    super();
    this.#socket = socket;
    this.#connected = connected;
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("drain", this.#onDrain);
    if (!connected) socket.once("connect", this.#onConnect);
  }

  readiness(): number {
    if (this.#dead) return EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP | (this.#error !== null ? EPOLLERR : 0);
    if (!this.#connected) return 0;
    let bits = 0;
    const readEnded = this.#eof || this.#readShut;
    if (this.#rxLength > 0 || readEnded) bits |= EPOLLIN;
    if (readEnded) bits |= EPOLLRDHUP;
    if (this.#writeShut || !this.#needDrain) bits |= EPOLLOUT;
    if (readEnded && this.#writeShut) bits |= EPOLLHUP;
    return bits;
  }

  read(buf: Uint8Array): number | WouldBlock {
    this.#throwPendingError();
    if (this.#rxLength === 0) {
      if (this.#eof || this.#readShut || this.#dead) return 0;
      return WouldBlock;
    }
    let n = 0;
    const rx = this.#rx;
    while (n < buf.length && this.#rxLength > 0) {
      const chunk = rx.peekFront()!;
      const k = chunk.copy(buf, n, this.#rxOffset, Math.min(chunk.length, this.#rxOffset + buf.length - n));
      n += k;
      this.#rxLength -= k;
      this.#rxOffset += k;
      if (this.#rxOffset === chunk.length) {
        rx.popFront();
        this.#rxOffset = 0;
      }
    }
    if (this.#paused && this.#rxLength < RX_HIGH_WATER / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
    if (this.#rxLength === 0) this.wakeup();
    return n;
  }

  write(buf: Uint8Array): number | WouldBlock {
    this.#throwPendingError();
    if (this.#dead || this.#writeShut) throw IoError.os("EPIPE");
    if (!this.#connected || this.#needDrain) return WouldBlock;
    if (buf.length === 0) return 0;
    const socket = this.#socket;
    const n = Math.min(TX_HIGH_WATER - socket.writableLength, buf.length);
    const chunk = this.#copyOut(buf, n);
    if (this.#tickWrites++ === 0) process.nextTick(endTick, this);
    else if (!this.#corked) {
      this.#corked = true;
      socket.cork();
    }
    socket.write(chunk);
    if (socket.writableLength >= TX_HIGH_WATER) {
      // A full batch leaves now; only if Node still holds a full buffer after that must the writer wait.
      this.flushCorked();
      if (socket.writableLength >= TX_HIGH_WATER) {
        this.#needDrain = true;
        this.wakeup();
      }
    }
    return n;
  }

  shutdown(how: Shutdown): void {
    if (!this.#connected || this.#dead) throw IoError.os("ENOTCONN");
    if (how !== "write" && !this.#readShut) {
      this.#readShut = true;
      this.#rx.clear();
      this.#rxOffset = 0;
      this.#rxLength = 0;
    }
    if (how !== "read" && !this.#writeShut) {
      this.#writeShut = true;
      this.#socket.end();
    }
    this.wakeup();
  }

  takeError(): IoError | undefined {
    const e = this.#error;
    if (e === null) return undefined;
    this.#error = null;
    this.wakeup();
    return e;
  }

  peerAddr(): SocketAddr {
    const s = this.#socket;
    if (!this.#connected || s.remoteAddress === undefined) throw IoError.os("ENOTCONN");
    return new SocketAddr(s.remoteAddress, s.remotePort!);
  }

  localAddr(): SocketAddr {
    const s = this.#socket;
    if (s.localAddress === undefined) throw IoError.os("ENOTCONN");
    return new SocketAddr(s.localAddress, s.localPort!);
  }

  setNodelay(nodelay: boolean): void {
    this.#socket.setNoDelay(nodelay);
  }

  setZeroLinger(): void {
    this.#zeroLinger = true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.detach();
    const s = this.#socket;
    s.off("data", this.#onData);
    if (this.#dead) s.destroy();
    else if (this.#zeroLinger || this.#rxLength > 0) s.resetAndDestroy();
    else s.destroySoon();
  }

  /**
   * Copies the first `n` bytes of `buf` into the send slab and returns that slice. Node keeps a written buffer
   * until it is flushed, and `writableLength` counts those bytes: when it is 0, Node holds no slice of the slab
   * any more and the slab is reused from its start. A slab too full for `n` is replaced (Node keeps the old one
   * alive until it is done with it). One allocation per slab instead of one per write.
   */
  #copyOut(buf: Uint8Array, n: number): Buffer {
    let slab = this.#slab;
    if (this.#socket.writableLength === 0) this.#slabUsed = 0;
    if (slab === null || slab.length - this.#slabUsed < n) {
      slab = this.#slab = Buffer.allocUnsafeSlow(2 * TX_HIGH_WATER);
      this.#slabUsed = 0;
    }
    const out = slab.subarray(this.#slabUsed, this.#slabUsed + n);
    out.set(n === buf.length ? buf : buf.subarray(0, n));
    this.#slabUsed += n;
    return out;
  }

  /** Ends this tick's batch: the writes held back leave together, and the next write goes out at once. */
  flushCorked(): void {
    this.#tickWrites = 0;
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
  }

  #onConnect = (): void => {
    this.#connected = true;
    this.wakeup();
  };

  #onData = (chunk: Buffer): void => {
    if (this.#readShut) return;
    this.#rx.pushBack(chunk);
    this.#rxLength += chunk.length;
    if (this.#rxLength >= RX_HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
    if (this.#rxLength === chunk.length) this.wakeup();
  };

  #onEnd = (): void => {
    this.#eof = true;
    this.wakeup();
  };

  #onDrain = (): void => {
    this.#needDrain = false;
    this.wakeup();
  };

  #onError = (e: Error): void => {
    if (this.#closed) return;
    this.#dead = true;
    this.#error = IoError.fromNode(e);
    this.#rx.clear();
    this.#rxOffset = 0;
    this.#rxLength = 0;
    this.wakeup();
  };

  #throwPendingError(): void {
    const e = this.#error;
    if (e !== null) {
      this.#error = null;
      this.wakeup();
      throw e;
    }
  }
}

function endTick(stream: NodeTcpStream): void {
  stream.flushCorked();
}
