/**
 * `DeliveryTimer`: makes a simulated network's delays visible to the runtime's timer wheel. Given code.
 *
 * A delayed packet is due at an instant on the runtime's clock, but nothing in the runtime would wake at that
 * instant: the time driver only plans its wait around timers. So the I/O driver keeps one timer (a chapter 13
 * `Sleep` on the runtime's time handle) at the network's `nextDeadline()`. The time driver then waits for it (or,
 * on a paused clock, auto-advances to it), turns, and the I/O driver's `select` delivers what came due. The timer
 * needs no waker of its own: the turn that follows its deadline is all it is for.
 * Without a time driver nothing moves the clock, so delays are then up to whoever moves it.
 */
import { Context, Waker } from "#kata/03-waker";
import type { Network } from "#kata/10-mio";
import { Sleep, type TimeHandle } from "#kata/13-time";
import { CONTEXT } from "#kit/context";

const NOOP_CONTEXT = new Context(Waker.noop());

export class DeliveryTimer {
  #time: TimeHandle | null = null;
  #sleep: Sleep | null = null;

  constructor(readonly network: Network) {}

  /** Remembers the current runtime's time handle, if any (called where the runtime context is set). */
  captureTimeHandle(): void {
    this.#time ??= CONTEXT.handle?.driver.time ?? null;
  }

  /** Keeps a timer at the network's next deadline. */
  arm(): void {
    const time = this.#time;
    if (time === null || time.isShutdown()) return;
    const at = this.network.nextDeadline();
    if (at === undefined) return this.disarm();
    const sleep = this.#sleep;
    if (sleep !== null && !sleep.isElapsed() && sleep.deadline() === at) return;
    if (sleep === null) this.#sleep = new Sleep(time, at);
    else sleep.reset(at);
    this.#sleep!.poll(NOOP_CONTEXT);
  }

  disarm(): void {
    this.#sleep?.[Symbol.dispose]();
    this.#sleep = null;
  }
}
