/**
 * `SimTcpListener`: a listening socket of the simulated network.
 *
 * Connections are established by the network as soon as their SYN arrives, before anyone accepts them (as the
 * kernel does); they wait in the accept queue. Readiness: IN while the queue is not empty.
 * Closing the listener frees its address and resets the connections still queued.
 */
import type { SocketAddr } from "../addr.ts";
import { EPOLLIN } from "../epoll.ts";
import { WouldBlock, type IoError } from "../io-error.ts";
import type { TcpListener } from "../net.ts";
import { SysSource } from "../source.ts";
import { VecDeque } from "#kit/vec-deque";
import type { SimNetwork } from "./network.ts";
import type { SimTcpStream } from "./stream.ts";

export class SimTcpListener extends SysSource implements TcpListener {
  readonly needsEventLoop = false;
  override readonly device: SimNetwork;
  readonly #queue = new VecDeque<SimTcpStream>();
  #closed = false;

  constructor(
    readonly net: SimNetwork,
    readonly local: SocketAddr,
  ) {
    super();
    this.device = net;
  }

  readiness(): number {
    return this.#queue.isEmpty() ? 0 : EPOLLIN;
  }

  accept(): [SimTcpStream, SocketAddr] | WouldBlock {
    this.net.catchUp();
    const stream = this.#queue.popFront();
    if (stream === undefined) return WouldBlock;
    this.wakeup();
    return [stream, stream.remote];
  }

  localAddr(): SocketAddr {
    return this.local;
  }

  takeError(): IoError | undefined {
    return undefined;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.detach();
    this.net.unbind(this);
    for (let s = this.#queue.popFront(); s !== undefined; s = this.#queue.popFront()) {
      s.setZeroLinger();
      s.close();
    }
  }

  // ---- the network's side ----

  queueLength(): number {
    return this.#queue.length;
  }

  enqueue(stream: SimTcpStream): void {
    this.#queue.pushBack(stream);
    this.wakeup();
  }
}
