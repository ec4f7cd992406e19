/**
 * `NodeTcpListener`: a non-blocking facade over a `node:net` server.
 *
 * Node binds asynchronously: until `listening`, `localAddr()` throws `NotConnected`. Completion is announced
 * by one readable edge (a pulse: it drops once reported), failure by an error that `takeError()` or `accept()`
 * collects. Incoming sockets wait in an accept queue; readiness is IN while it is not empty.
 * A queued socket gets an `error` listener at once: a connection reset before it is accepted must not throw as
 * an uncaught error (it is destroyed, and `accept` drops it). Closing stops the server and destroys the
 * connections not yet accepted.
 */
import { createServer, type Server, type Socket } from "node:net";
import { SocketAddr } from "../addr.ts";
import { EPOLLERR, EPOLLIN } from "../epoll.ts";
import { IoError, WouldBlock } from "../io-error.ts";
import type { TcpListener } from "../net.ts";
import { SysSource } from "../source.ts";
import { VecDeque } from "#kit/vec-deque";
import { NodeTcpStream } from "./stream.ts";

export class NodeTcpListener extends SysSource implements TcpListener {
  readonly needsEventLoop = true;
  readonly #server: Server;
  readonly #queue = new VecDeque<Socket>();
  #announce = false;
  #error: IoError | null = null;
  #closed = false;

  constructor(addr: SocketAddr, noDelay: boolean) {
    super();
    const server = createServer({ allowHalfOpen: true, noDelay });
    server.on("connection", (socket: Socket) => {
      socket.on("error", ignoreError);
      this.#queue.pushBack(socket);
      if (this.#queue.length === 1) this.wakeup();
    });
    server.once("listening", () => {
      this.#announce = true;
      this.wakeup();
    });
    server.on("error", (e: Error) => {
      this.#error = IoError.fromNode(e);
      this.wakeup();
    });
    server.listen(addr.port, addr.ip);
    this.#server = server;
  }

  readiness(): number {
    let bits = this.#queue.isEmpty() && !this.#announce ? 0 : EPOLLIN;
    if (this.#error !== null) bits |= EPOLLIN | EPOLLERR;
    return bits;
  }

  override collected(): void {
    if (this.#announce) {
      this.#announce = false;
      this.wakeup();
    }
  }

  accept(): [NodeTcpStream, SocketAddr] | WouldBlock {
    const e = this.takeError();
    if (e !== undefined) throw e;
    let socket = this.#queue.popFront();
    // A connection that died in the queue is dropped, as the kernel drops aborted connections before accept.
    while (socket !== undefined && (socket.destroyed || socket.remoteAddress === undefined)) {
      socket.destroy();
      socket = this.#queue.popFront();
    }
    if (this.#queue.isEmpty()) this.wakeup();
    if (socket === undefined) return WouldBlock;
    const stream = new NodeTcpStream(socket, true);
    return [stream, stream.peerAddr()];
  }

  localAddr(): SocketAddr {
    const a = this.#server.address();
    if (a === null || typeof a === "string") throw IoError.os("ENOTCONN");
    return new SocketAddr(a.address, a.port);
  }

  takeError(): IoError | undefined {
    const e = this.#error;
    if (e === null) return undefined;
    this.#error = null;
    this.wakeup();
    return e;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.detach();
    this.#server.close();
    for (let s = this.#queue.popFront(); s !== undefined; s = this.#queue.popFront()) s.destroy();
  }
}

/** A queued socket's errors: the socket is destroyed, and `accept` drops it. */
function ignoreError(): void {}
