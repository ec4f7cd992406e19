/**
 * `tokio::signal::ctrl_c`, with SIGTERM alongside: a future that completes with the name of the first of SIGINT or
 * SIGTERM the process receives after the future was first polled.
 *
 *     const sig = yield* signal.ctrlC();      // "SIGINT" (Ctrl-C) or "SIGTERM" (kill)
 *     shutdown.cancel();
 *
 * As in Tokio, the first poll installs the process's handlers for both signals for good: from then on neither ends
 * the process by default, a second Ctrl-C included, so the shutdown that the first one started can finish. A waiting
 * future holds the runtime's event loop (`holdEventLoop`, chapter 07), since a signal arrives as a Node event rather
 * than through a driver; it lets go when it completes or is dropped.
 */
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import type { Context, Waker } from "#kata/03-waker";
import { Handle, type DriverHandle } from "#kata/09-work-stealing";

export type Signal = "SIGINT" | "SIGTERM";

/** The futures waiting for a signal; the handlers are installed on the first wait. */
const waiting = new Set<CtrlC>();
let installed = false;

function deliver(signal: Signal): void {
  for (const w of [...waiting]) w.receive(signal);
}

class CtrlC extends FutureBase<Signal> {
  #received: Signal | null = null;
  #waker: Waker | null = null;
  #driver: DriverHandle | null = null;

  poll(cx: Context): Poll<Signal> {
    if (this.#received !== null) {
      this.#stop();
      return this.#received;
    }
    if (this.#driver === null) {
      if (!installed) {
        installed = true;
        process.on("SIGINT", deliver);
        process.on("SIGTERM", deliver);
      }
      this.#driver = Handle.current().driver;
      this.#driver.holdEventLoop();
      waiting.add(this);
    }
    if (this.#waker === null || !this.#waker.willWake(cx.waker)) {
      this.#waker?.drop();
      this.#waker = cx.waker.clone();
    }
    return Pending;
  }

  receive(signal: Signal): void {
    this.#received ??= signal;
    this.#waker?.wakeByRef();
  }

  [Symbol.dispose](): void {
    this.#stop();
  }

  #stop(): void {
    if (this.#driver === null) return;
    waiting.delete(this);
    this.#driver.releaseEventLoop();
    this.#driver = null;
    this.#waker?.drop();
    this.#waker = null;
  }
}

/** Completes on SIGINT or SIGTERM; must be polled inside a runtime. */
export function ctrlC(): CtrlC {
  return new CtrlC();
}
