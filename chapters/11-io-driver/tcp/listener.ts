/**
 * `TcpListener` (Tokio's `net/tcp/listener.rs`): a listening socket on the runtime's I/O driver.
 *
 *     const listener = yield* TcpListener.bind("127.0.0.1:0");
 *     for (;;) {
 *       const [stream, peer] = yield* listener.accept();
 *       spawn(handle(stream));
 *     }
 *
 * `bind` is a future, as in Tokio (there it resolves names). On the simulated network the socket is bound at
 * once; on Node binding completes on the event loop, so the future waits for read readiness and then checks the
 * outcome: an error from `takeError()` (`AddrInUse`), or a local address. `accept` is Tokio's `poll_accept`:
 * wait for read readiness, `accept()`, and on `WouldBlock` clear the readiness and wait again. Each accepted
 * socket is registered with the listener's driver.
 */
import type { Future, Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { SocketAddr, TcpListener as MioTcpListener } from "#kata/10-mio";
import { todo } from "#kit/todo";
import type { PollEvented } from "../poll-evented.ts";
import type { TcpStream } from "./stream.ts";

// Sketch: a `Bind` future: on its first poll, `network.bind(addr)` wrapped in a `PollEvented` (READABLE); then
// in a loop: a `takeError()` is thrown (after closing the socket); bound (`localAddr()` does not throw
// NotConnected) resolves to the listener; otherwise wait for read readiness and clear it. An `Accept` future whose
// poll is `pollAccept`.

export class TcpListener implements Disposable {
  // Sketch: the PollEvented<MioTcpListener>.

  private constructor(io: PollEvented<MioTcpListener>) {
    todo("11-io-driver", "TcpListener.constructor");
  }

  /** Binds `addr` (port 0: any free port) on the current runtime's network. */
  static bind(addr: string | SocketAddr): Future<TcpListener> {
    return todo("11-io-driver", "TcpListener.bind");
  }

  /** Wraps a registered listener whose bind has completed. */
  static fromEvented(io: PollEvented<MioTcpListener>): TcpListener {
    return todo("11-io-driver", "TcpListener.fromEvented");
  }

  /** The next connection and the address of its peer. */
  accept(): Future<[TcpStream, SocketAddr]> {
    return todo("11-io-driver", "TcpListener.accept");
  }

  pollAccept(cx: Context): Poll<[TcpStream, SocketAddr]> {
    return todo("11-io-driver", "TcpListener.pollAccept");
  }

  localAddr(): SocketAddr {
    return todo("11-io-driver", "TcpListener.localAddr");
  }

  /** Stops listening (Rust drops it): connections not yet accepted are reset. */
  close(): void {
    todo("11-io-driver", "TcpListener.close");
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
