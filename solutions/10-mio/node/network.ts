/**
 * `NodeNetwork`: real TCP sockets through `node:net` (the second backend of chapter 10).
 *
 * `bind` and `connect` return at once; Node completes them on its event loop and the sockets report the
 * outcome as readiness. Use numeric addresses (`127.0.0.1:0` binds a free loopback port). Sockets of this network
 * need Node's event loop to make progress, which their `needsEventLoop` says to the selector.
 */
import { connect } from "node:net";
import { SocketAddr } from "../addr.ts";
import type { Network } from "../net.ts";
import { NodeTcpListener } from "./listener.ts";
import { NodeTcpStream } from "./stream.ts";

export interface NodeNetworkOptions {
  /** Disable Nagle's algorithm on every socket (TCP_NODELAY). Default true, as latency matters more here. */
  noDelay?: boolean;
}

export class NodeNetwork implements Network {
  readonly kind = "node";
  readonly #noDelay: boolean;

  constructor(options: NodeNetworkOptions = {}) {
    this.#noDelay = options.noDelay ?? true;
  }

  bind(addr: string | SocketAddr): NodeTcpListener {
    return new NodeTcpListener(SocketAddr.parse(addr), this.#noDelay);
  }

  connect(addr: string | SocketAddr): NodeTcpStream {
    const a = SocketAddr.parse(addr);
    const socket = connect({ host: a.ip, port: a.port, allowHalfOpen: true, noDelay: this.#noDelay });
    return new NodeTcpStream(socket, false);
  }

  nextDeadline(): number | undefined {
    return undefined;
  }
}
