/**
 * `PollEvented` (Tokio's `io/poll_evented.rs`): a mio source plus its registration; the non-blocking operations
 * made into poll functions.
 *
 *     pollRead(cx, buf):
 *       loop
 *         event = registration.pollReadReady(cx)     Pending? return Pending (waker stored, budget restored)
 *         n = io.read(buf)
 *         WouldBlock?  registration.clearReadiness(event); try again (Pending unless a newer event arrived)
 *         otherwise    if 0 < n < buf.length: clearReadiness(event)   (the socket was drained)
 *                      return n
 *
 * `pollWrite` is the same with write readiness (a short write means the buffer filled). Errors the source
 * throws (reset, broken pipe) propagate. Each ready poll spends one unit of the task's budget.
 * `[Symbol.dispose]` deregisters the source and closes it (Rust's `Drop`).
 */
import type { Poll } from "#kata/01-poll";
import { Pending } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { Interest, WouldBlock, type Source } from "#kata/10-mio";
import type { IoHandle } from "./driver.ts";
import { currentIoHandle } from "./errors.ts";
import { Registration } from "./registration.ts";

/** A source the driver can own: it can be closed. */
export interface IoSource extends Source {
  close(): void;
}

export interface SourceRead {
  read(buf: Uint8Array): number | WouldBlock;
}

export interface SourceWrite {
  write(buf: Uint8Array): number | WouldBlock;
}

export class PollEvented<E extends IoSource> implements Disposable {
  #io: E | null;
  readonly registration: Registration;

  /** Registers `io` with the driver of `handle` (default: the current runtime's) for `interest`. */
  constructor(io: E, interest: Interest = Interest.READABLE.add(Interest.WRITABLE), handle: IoHandle = currentIoHandle()) {
    this.registration = Registration.new(io, interest, handle);
    this.#io = io;
  }

  /** The source; throws once disposed. */
  get io(): E {
    const io = this.#io;
    if (io === null) throw new Error("PollEvented used after it was disposed");
    return io;
  }

  pollRead(this: PollEvented<E & SourceRead>, cx: Context, buf: Uint8Array): Poll<number> {
    const io = this.io;
    const reg = this.registration;
    for (;;) {
      const ev = reg.pollReadReady(cx);
      if (ev === Pending) return Pending;
      const n = io.read(buf);
      if (n === WouldBlock) {
        reg.clearReadiness(ev);
        continue;
      }
      if (n > 0 && n < buf.length) reg.clearReadiness(ev);
      return n;
    }
  }

  pollWrite(this: PollEvented<E & SourceWrite>, cx: Context, buf: Uint8Array): Poll<number> {
    const io = this.io;
    const reg = this.registration;
    for (;;) {
      const ev = reg.pollWriteReady(cx);
      if (ev === Pending) return Pending;
      const n = io.write(buf);
      if (n === WouldBlock) {
        reg.clearReadiness(ev);
        continue;
      }
      if (n > 0 && n < buf.length) reg.clearReadiness(ev);
      return n;
    }
  }

  [Symbol.dispose](): void {
    const io = this.#io;
    if (io === null) return;
    this.#io = null;
    try {
      this.registration.deregister(io);
    } catch {
      // As Tokio's `Drop` does (`let _ = deregister(..)`): the source is closed below either way.
    } finally {
      io.close();
    }
  }
}
