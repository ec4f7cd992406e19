/**
 * `Registration` (Tokio's `runtime/io/registration.rs`): a source's link to the I/O driver.
 *
 * It owns one `ScheduledIo` and is how a resource waits for readiness:
 * - `pollReady(cx, direction)`: spend a unit of the task's budget (`pollProceed`; `Pending` if the budget is
 *   gone), then ask the `ScheduledIo`; if it is not ready, give the unit back (`restore`) and return `Pending`
 *   (the waker is stored); after a shutdown, throw "A Tokio 1.x context was found, but it is being shutdown.";
 * - `clearReadiness(event)`: after an operation returned `WouldBlock`, forget the readiness the task saw (the
 *   tick guard of `ScheduledIo.clearReadiness` keeps any newer event);
 * - `deregister(source)`: leave the selector and hand the `ScheduledIo` back to the driver for release.
 */
import { Pending, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { Interest, Source } from "#kata/10-mio";
import { pollProceed, restore } from "#kata/14-blocking";
import type { IoHandle } from "./driver.ts";
import { gone } from "./errors.ts";
import { READ, WRITE, type Direction } from "./ready.ts";
import { ReadyEvent, type ScheduledIo } from "./scheduled-io.ts";

export class Registration {
  readonly #handle: IoHandle;
  readonly shared: ScheduledIo;

  private constructor(handle: IoHandle, shared: ScheduledIo) {
    this.#handle = handle;
    this.shared = shared;
  }

  /** Registers `source` with the driver of `handle` for `interest` (Tokio's `new_with_interest_and_handle`). */
  static new(source: Source, interest: Interest, handle: IoHandle): Registration {
    return new Registration(handle, handle.addSource(source, interest));
  }

  get handle(): IoHandle {
    return this.#handle;
  }

  pollReadReady(cx: Context): Poll<ReadyEvent> {
    return this.pollReady(cx, READ);
  }

  pollWriteReady(cx: Context): Poll<ReadyEvent> {
    return this.pollReady(cx, WRITE);
  }

  pollReady(cx: Context, direction: Direction): Poll<ReadyEvent> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    const ev = this.shared.pollReadiness(cx, direction);
    if (ev === Pending) {
      restore(coop);
      return Pending;
    }
    if (ReadyEvent.isShutdown(ev)) {
      restore(coop);
      throw gone();
    }
    return ev;
  }

  clearReadiness(event: ReadyEvent): void {
    this.shared.clearReadiness(event);
  }

  /** Leaves the selector and releases the `ScheduledIo` (its wakers are dropped). */
  deregister(source: Source): void {
    this.shared.clearWakers();
    this.#handle.deregisterSource(this.shared, source);
  }
}
