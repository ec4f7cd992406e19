/**
 * `Registration` (Tokio's `runtime/io/registration.rs`): a source's link to the I/O driver.
 *
 * It owns one `ScheduledIo` and is how a resource waits for readiness:
 * - `pollReady(cx, direction)`: spend a unit of the task's budget (`pollProceed`; `Pending` if the budget is
 *   gone), then ask the `ScheduledIo`; if it is not ready, give the unit back (`restore`) and return `Pending`
 *   (the waker is stored); after a shutdown, give it back too and throw `gone()` ("A Tokio 1.x context was found,
 *   but it is being shutdown.");
 * - `clearReadiness(event)`: after an operation returned `WouldBlock`, forget the readiness the task saw (the
 *   tick guard of `ScheduledIo.clearReadiness` keeps any newer event);
 * - `deregister(source)`: drop the stored wakers, leave the selector and hand the `ScheduledIo` back to the
 *   driver for release (`IoHandle.deregisterSource`).
 */
import type { Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { Interest, Source } from "#kata/10-mio";
import { todo } from "#kit/todo";
import type { IoHandle } from "./driver.ts";
import type { Direction } from "./ready.ts";
import type { ReadyEvent, ScheduledIo } from "./scheduled-io.ts";

export class Registration {
  // Sketch: the handle.

  private constructor(
    handle: IoHandle,
    /** The driver's record of the source. */
    readonly shared: ScheduledIo,
  ) {
    todo("11-io-driver", "Registration.constructor");
  }

  /** Registers `source` with the driver of `handle` for `interest` (Tokio's `new_with_interest_and_handle`). */
  static new(source: Source, interest: Interest, handle: IoHandle): Registration {
    return todo("11-io-driver", "Registration.new");
  }

  get handle(): IoHandle {
    return todo("11-io-driver", "Registration.handle");
  }

  pollReadReady(cx: Context): Poll<ReadyEvent> {
    return todo("11-io-driver", "Registration.pollReadReady");
  }

  pollWriteReady(cx: Context): Poll<ReadyEvent> {
    return todo("11-io-driver", "Registration.pollWriteReady");
  }

  pollReady(cx: Context, direction: Direction): Poll<ReadyEvent> {
    return todo("11-io-driver", "Registration.pollReady");
  }

  clearReadiness(event: ReadyEvent): void {
    todo("11-io-driver", "Registration.clearReadiness");
  }

  /** Leaves the selector and releases the `ScheduledIo` (its wakers are dropped). */
  deregister(source: Source): void {
    todo("11-io-driver", "Registration.deregister");
  }
}
