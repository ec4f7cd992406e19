/**
 * `ScheduledIo` (Tokio's `runtime/io/scheduled_io.rs`): what the driver knows about one registered source.
 *
 * The readiness word packs three fields into 32 bits, as Tokio packs them into a `usize`:
 *
 *     bit  31       30 ............ 16   15 ............ 0
 *         shutdown   tick (15 bits)      readiness (16 bits)
 *
 * - the driver **sets** readiness for each event (`setReadiness`): it ORs the event's bits in and bumps the tick
 *   (mod 2^15), so every event leaves a new tick behind;
 * - a task that saw readiness and then hit `WouldBlock` **clears** what it saw (`clearReadiness(event)`), but only
 *   if the tick is still the one it read: had an event arrived in between, the tick moved, the clear is skipped,
 *   and the new readiness survives. A blind clear would erase it, and since events are edge-triggered nobody
 *   would ever report it again: the task would sleep forever (the lost wake-up);
 * - the closed bits are final: a clear never removes READ_CLOSED or WRITE_CLOSED;
 * - `shutdown` sets the top bit for good and wakes everyone; every later poll reports the shutdown.
 *
 * A `ReadyEvent` is a snapshot returned to the task: its tick (truncated to 8 bits, as Tokio's `tick as u8`),
 * the readiness bits it saw, and the shutdown flag, packed in a number so that returning it allocates nothing.
 *
 * Waiters: one reader slot and one writer slot (Tokio's `Waiters.reader/writer`, used by `poll_read_ready` and
 * `poll_write_ready`); the last task to poll a direction is the one woken. A stored waker is replaced only if it
 * would not wake the same task. Tokio also keeps a list of waiters for `readiness()` futures; nothing here needs it.
 *
 * Given: the layout constants. JavaScript's bit operators work on signed 32-bit integers: bit 31 makes a number
 * negative, so store the word as `(...) >>> 0` and test bits with `!== 0`.
 */
import type { Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { Interest } from "#kata/10-mio";
import { todo } from "#kit/todo";
import type { Direction, Ready } from "./ready.ts";

export const READINESS_MASK = 0xffff;
export const TICK_SHIFT = 16;
export const TICK_MASK = 0x7fff;
export const SHUTDOWN = 0x8000_0000;

/** A snapshot of readiness: `shutdown << 24 | (tick & 0xff) << 16 | ready`. */
export type ReadyEvent = number;

export const ReadyEvent = {
  /** Packs an event; only the low 8 bits of `tick` are kept. */
  of(tick: number, ready: Ready, isShutdown: boolean): ReadyEvent {
    return todo("11-io-driver", "ReadyEvent.of");
  },
  tick(ev: ReadyEvent): number {
    return todo("11-io-driver", "ReadyEvent.tick");
  },
  ready(ev: ReadyEvent): Ready {
    return todo("11-io-driver", "ReadyEvent.ready");
  },
  isShutdown(ev: ReadyEvent): boolean {
    return todo("11-io-driver", "ReadyEvent.isShutdown");
  },
} as const;

export class ScheduledIo {
  // Sketch: the readiness word (a number), the reader's and the writer's stored wakers (or null).

  constructor(readonly token: number) {}

  /** The readiness bits now (without tick or shutdown). */
  ready(): Ready {
    return todo("11-io-driver", "ScheduledIo.ready");
  }

  /** The driver tick of the last event (15 bits). */
  tick(): number {
    return todo("11-io-driver", "ScheduledIo.tick");
  }

  isShutdown(): boolean {
    return todo("11-io-driver", "ScheduledIo.isShutdown");
  }

  /** An event arrived (Tokio's `set_readiness(Tick::Set, |curr| curr | ready)`): OR it in, bump the tick. */
  setReadiness(ready: Ready): void {
    todo("11-io-driver", "ScheduledIo.setReadiness");
  }

  /**
   * Removes what `event` saw, except the closed bits, if no event arrived since (the tick still matches, compared
   * as 8 bits like Tokio's `tick as u8`); otherwise does nothing.
   */
  clearReadiness(event: ReadyEvent): void {
    todo("11-io-driver", "ScheduledIo.clearReadiness");
  }

  /** Wakes (and empties) the reader slot if `ready` lets it read, the writer slot if it lets it write. */
  wake(ready: Ready): void {
    todo("11-io-driver", "ScheduledIo.wake");
  }

  /** The readiness for `interest` now, as an event (Tokio's `ready_event`, used by `try_io`). */
  readyEvent(interest: Interest): ReadyEvent {
    return todo("11-io-driver", "ScheduledIo.readyEvent");
  }

  /**
   * Ready in `direction` (its mask intersects the readiness), or shut down? Then the event (after a shutdown,
   * with the direction's whole mask); otherwise stores the task's waker in the direction's slot (cloning only if
   * the stored one would not wake the same task, dropping the one it replaces) and returns `Pending`.
   */
  pollReadiness(cx: Context, direction: Direction): Poll<ReadyEvent> {
    return todo("11-io-driver", "ScheduledIo.pollReadiness");
  }

  /** Drops the stored wakers (the registration is going away). */
  clearWakers(): void {
    todo("11-io-driver", "ScheduledIo.clearWakers");
  }

  /** The driver is shutting down: mark it for good and wake everyone. */
  shutdown(): void {
    todo("11-io-driver", "ScheduledIo.shutdown");
  }
}
