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
 */
import { Pending, type Poll } from "#kata/01-poll";
import type { Context, Waker } from "#kata/03-waker";
import type { Interest } from "#kata/10-mio";
import { READ, Ready, WRITE, directionMask, type Direction } from "./ready.ts";

export const READINESS_MASK = 0xffff;
export const TICK_SHIFT = 16;
export const TICK_MASK = 0x7fff;
export const SHUTDOWN = 0x8000_0000;

/** A snapshot of readiness: `shutdown << 24 | (tick & 0xff) << 16 | ready`. */
export type ReadyEvent = number;

const EVENT_SHUTDOWN = 1 << 24;

export const ReadyEvent = {
  of(tick: number, ready: Ready, isShutdown: boolean): ReadyEvent {
    return (isShutdown ? EVENT_SHUTDOWN : 0) | ((tick & 0xff) << TICK_SHIFT) | ready;
  },
  tick(ev: ReadyEvent): number {
    return (ev >>> TICK_SHIFT) & 0xff;
  },
  ready(ev: ReadyEvent): Ready {
    return ev & READINESS_MASK;
  },
  isShutdown(ev: ReadyEvent): boolean {
    return (ev & EVENT_SHUTDOWN) !== 0;
  },
} as const;

export class ScheduledIo {
  #readiness = 0;
  #reader: Waker | null = null;
  #writer: Waker | null = null;

  constructor(readonly token: number) {}

  /** The readiness bits now (without tick or shutdown). */
  ready(): Ready {
    return this.#readiness & READINESS_MASK;
  }

  /** The driver tick of the last event (15 bits). */
  tick(): number {
    return (this.#readiness >>> TICK_SHIFT) & TICK_MASK;
  }

  isShutdown(): boolean {
    return (this.#readiness & SHUTDOWN) !== 0;
  }

  /** An event arrived (Tokio's `set_readiness(Tick::Set, |curr| curr | ready)`): OR it in, bump the tick. */
  setReadiness(ready: Ready): void {
    const curr = this.#readiness;
    const tick = (((curr >>> TICK_SHIFT) & TICK_MASK) + 1) & TICK_MASK;
    this.#readiness = ((curr & SHUTDOWN) | (tick << TICK_SHIFT) | ((curr | ready) & READINESS_MASK)) >>> 0;
  }

  /**
   * Removes what `event` saw, except the closed bits, if no event arrived since (the tick still matches, compared
   * as 8 bits like Tokio's `tick as u8`); otherwise does nothing.
   */
  clearReadiness(event: ReadyEvent): void {
    const curr = this.#readiness;
    if ((((curr >>> TICK_SHIFT) & TICK_MASK) & 0xff) !== ReadyEvent.tick(event)) return;
    const remove = ReadyEvent.ready(event) & ~(Ready.READ_CLOSED | Ready.WRITE_CLOSED);
    this.#readiness = (curr & ~remove) >>> 0;
  }

  /** Wakes the reader if `ready` lets it read, the writer if it lets it write (each slot is emptied). */
  wake(ready: Ready): void {
    if (Ready.isReadable(ready)) {
      const w = this.#reader;
      this.#reader = null;
      w?.wake();
    }
    if (Ready.isWritable(ready)) {
      const w = this.#writer;
      this.#writer = null;
      w?.wake();
    }
  }

  /** The readiness for `interest` now, as an event (Tokio's `ready_event`, used by `try_io`). */
  readyEvent(interest: Interest): ReadyEvent {
    const curr = this.#readiness;
    let mask = 0;
    if (interest.isReadable()) mask |= directionMask(READ);
    if (interest.isWritable()) mask |= directionMask(WRITE);
    return ReadyEvent.of((curr >>> TICK_SHIFT) & TICK_MASK, curr & mask, (curr & SHUTDOWN) !== 0);
  }

  /**
   * Ready in `direction` (or shut down)? Then the event; otherwise stores the task's waker in the direction's
   * slot and returns `Pending`.
   */
  pollReadiness(cx: Context, direction: Direction): Poll<ReadyEvent> {
    const curr = this.#readiness;
    const mask = directionMask(direction);
    const ready = curr & mask;
    const isShutdown = (curr & SHUTDOWN) !== 0;
    if (ready !== 0 || isShutdown) {
      return ReadyEvent.of((curr >>> TICK_SHIFT) & TICK_MASK, isShutdown ? mask : ready, isShutdown);
    }
    const stored = direction === READ ? this.#reader : this.#writer;
    if (stored === null || !stored.willWake(cx.waker)) {
      stored?.drop();
      const waker = cx.waker.clone();
      if (direction === READ) this.#reader = waker;
      else this.#writer = waker;
    }
    return Pending;
  }

  /** Drops the stored wakers (the registration is going away). */
  clearWakers(): void {
    this.#reader?.drop();
    this.#writer?.drop();
    this.#reader = null;
    this.#writer = null;
  }

  /** The driver is shutting down: mark it for good and wake everyone. */
  shutdown(): void {
    this.#readiness = (this.#readiness | SHUTDOWN) >>> 0;
    this.wake(Ready.ALL);
  }
}
