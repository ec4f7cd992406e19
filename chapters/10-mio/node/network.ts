/**
 * `NodeNetwork`: real TCP sockets through `node:net` (the second backend of chapter 10).
 *
 * `bind` and `connect` return at once; Node completes them on its event loop and the sockets report the
 * outcome as readiness. Use numeric addresses (`127.0.0.1:0` binds a free loopback port). Sockets of this network
 * need Node's event loop to make progress, which their `needsEventLoop` says to the selector.
 */
import { todo } from "#kit/todo";
import type { SocketAddr } from "../addr.ts";
import type { Network } from "../net.ts";
import type { NodeTcpListener } from "./listener.ts";
import type { NodeTcpStream } from "./stream.ts";

export interface NodeNetworkOptions {
  /** Disable Nagle's algorithm on every socket (TCP_NODELAY). Default true, as latency matters more here. */
  noDelay?: boolean;
}

export class NodeNetwork implements Network {
  readonly kind = "node";
  // Sketch: noDelay.

  constructor(options: NodeNetworkOptions = {}) {
    todo("10-mio", "NodeNetwork.constructor");
  }

  bind(addr: string | SocketAddr): NodeTcpListener {
    return todo("10-mio", "NodeNetwork.bind");
  }

  /** `net.connect` with `allowHalfOpen: true` (TCP allows writing after the peer's FIN) and `noDelay`. */
  connect(addr: string | SocketAddr): NodeTcpStream {
    return todo("10-mio", "NodeNetwork.connect");
  }

  /** Node's event loop delivers everything: always undefined. */
  nextDeadline(): number | undefined {
    return todo("10-mio", "NodeNetwork.nextDeadline");
  }
}
