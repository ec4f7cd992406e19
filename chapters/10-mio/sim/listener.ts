/**
 * `SimTcpListener`: a listening socket of the simulated network.
 *
 * Connections are established by the network as soon as their SYN arrives, before anyone accepts them (as the
 * kernel does); they wait in the accept queue. Readiness: IN while the queue is not empty.
 * Closing the listener frees its address and resets the connections still queued.
 */
import { todo } from "#kit/todo";
import type { SocketAddr } from "../addr.ts";
import type { IoError, WouldBlock } from "../io-error.ts";
import type { TcpListener } from "../net.ts";
import { SysSource } from "../source.ts";
import type { SimNetwork } from "./network.ts";
import type { SimTcpStream } from "./stream.ts";

export class SimTcpListener extends SysSource implements TcpListener {
  readonly needsEventLoop = false;
  override readonly device: SimNetwork;
  // Sketch: the accept queue (a VecDeque<SimTcpStream>), closed.

  constructor(
    readonly net: SimNetwork,
    readonly local: SocketAddr,
  ) {
    super();
    this.device = net;
  }

  readiness(): number {
    return todo("10-mio", "SimTcpListener.readiness");
  }

  /** Catches the network up; the first queued connection and its peer's address (`remote`), or WouldBlock. */
  accept(): [SimTcpStream, SocketAddr] | WouldBlock {
    return todo("10-mio", "SimTcpListener.accept");
  }

  localAddr(): SocketAddr {
    return todo("10-mio", "SimTcpListener.localAddr");
  }

  /** A simulated listener never fails after binding: always undefined. */
  takeError(): IoError | undefined {
    return todo("10-mio", "SimTcpListener.takeError");
  }

  /** Closes once: leaves the selector, unbinds, and resets every queued connection (zero linger, close). */
  close(): void {
    todo("10-mio", "SimTcpListener.close");
  }

  // ---- the network's side ----

  queueLength(): number {
    return todo("10-mio", "SimTcpListener.queueLength");
  }

  enqueue(stream: SimTcpStream): void {
    todo("10-mio", "SimTcpListener.enqueue");
  }
}
