/**
 * `NodeTcpListener`: a non-blocking facade over a `node:net` server.
 *
 * Node binds asynchronously: until `listening`, `localAddr()` throws `NotConnected`. Completion is announced
 * by one readable edge (a pulse: it drops once reported, in `collected()`), failure by an error that
 * `takeError()` or `accept()` collects. Incoming sockets wait in an accept queue; readiness is IN while it is not
 * empty. A queued socket gets an `error` listener at once: a connection reset before it is accepted must not throw
 * as an uncaught error (it is destroyed, and `accept` drops it). Closing stops the server and destroys the
 * connections not yet accepted.
 */
import { todo } from "#kit/todo";
import type { SocketAddr } from "../addr.ts";
import type { IoError, WouldBlock } from "../io-error.ts";
import type { TcpListener } from "../net.ts";
import { SysSource } from "../source.ts";
import type { NodeTcpStream } from "./stream.ts";

export class NodeTcpListener extends SysSource implements TcpListener {
  readonly needsEventLoop = true;
  // Sketch: the server (`createServer({ allowHalfOpen: true, noDelay })`), the accept queue of sockets, the
  // "bound" pulse, the pending error, closed.

  /** Creates the server and starts listening on `addr`. */
  constructor(addr: SocketAddr, noDelay: boolean) {
    super();
    todo("10-mio", "NodeTcpListener.constructor");
  }

  readiness(): number {
    return todo("10-mio", "NodeTcpListener.readiness");
  }

  override collected(): void {
    todo("10-mio", "NodeTcpListener.collected");
  }

  accept(): [NodeTcpStream, SocketAddr] | WouldBlock {
    return todo("10-mio", "NodeTcpListener.accept");
  }

  localAddr(): SocketAddr {
    return todo("10-mio", "NodeTcpListener.localAddr");
  }

  takeError(): IoError | undefined {
    return todo("10-mio", "NodeTcpListener.takeError");
  }

  close(): void {
    todo("10-mio", "NodeTcpListener.close");
  }
}
