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
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { Interest, IoError, WouldBlock, type SocketAddr, type TcpListener as MioTcpListener } from "#kata/10-mio";
import { currentIoHandle } from "../errors.ts";
import { PollEvented } from "../poll-evented.ts";
import { TcpStream } from "./stream.ts";

export class TcpListener implements Disposable {
  readonly #io: PollEvented<MioTcpListener>;

  private constructor(io: PollEvented<MioTcpListener>) {
    this.#io = io;
  }

  /** Binds `addr` (port 0: any free port) on the current runtime's network. */
  static bind(addr: string | SocketAddr): Future<TcpListener> {
    return new Bind(addr);
  }

  /** Wraps a registered listener whose bind has completed. */
  static fromEvented(io: PollEvented<MioTcpListener>): TcpListener {
    return new TcpListener(io);
  }

  /** The next connection and the address of its peer. */
  accept(): Future<[TcpStream, SocketAddr]> {
    return new Accept(this);
  }

  pollAccept(cx: Context): Poll<[TcpStream, SocketAddr]> {
    const io = this.#io;
    const reg = io.registration;
    for (;;) {
      const ev = reg.pollReadReady(cx);
      if (ev === Pending) return Pending;
      const accepted = io.io.accept();
      if (accepted === WouldBlock) {
        reg.clearReadiness(ev);
        continue;
      }
      return [TcpStream.fromMio(accepted[0], reg.handle), accepted[1]];
    }
  }

  localAddr(): SocketAddr {
    return this.#io.io.localAddr();
  }

  /** Stops listening (Rust drops it): connections not yet accepted are reset. */
  close(): void {
    this.#io[Symbol.dispose]();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

class Accept extends FutureBase<[TcpStream, SocketAddr]> {
  constructor(readonly listener: TcpListener) {
    super();
  }

  poll(cx: Context): Poll<[TcpStream, SocketAddr]> {
    return this.listener.pollAccept(cx);
  }
}

class Bind extends FutureBase<TcpListener> {
  readonly #addr: string | SocketAddr;
  #io: PollEvented<MioTcpListener> | null = null;

  constructor(addr: string | SocketAddr) {
    super();
    this.#addr = addr;
  }

  poll(cx: Context): Poll<TcpListener> {
    let io = this.#io;
    if (io === null) {
      const handle = currentIoHandle();
      io = this.#io = new PollEvented(handle.network.bind(this.#addr), Interest.READABLE, handle);
    }
    for (;;) {
      const error = io.io.takeError();
      if (error !== undefined) {
        this.#drop();
        throw error;
      }
      if (isBound(io.io)) {
        this.#io = null;
        return TcpListener.fromEvented(io);
      }
      const ev = io.registration.pollReadReady(cx);
      if (ev === Pending) return Pending;
      io.registration.clearReadiness(ev);
    }
  }

  #drop(): void {
    this.#io?.[Symbol.dispose]();
    this.#io = null;
  }

  [Symbol.dispose](): void {
    this.#drop();
  }
}

/** Bound once the listener has a local address (on Node, until then `localAddr()` fails with NotConnected). */
function isBound(listener: MioTcpListener): boolean {
  try {
    listener.localAddr();
    return true;
  } catch (e) {
    if (e instanceof IoError && e.kind === "NotConnected") return false;
    throw e;
  }
}
