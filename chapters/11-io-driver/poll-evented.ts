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
import type { Context } from "#kata/03-waker";
import { Interest, type Source, type WouldBlock } from "#kata/10-mio";
import { todo } from "#kit/todo";
import type { IoHandle } from "./driver.ts";
import { currentIoHandle } from "./errors.ts";
import type { Registration } from "./registration.ts";

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
  declare readonly registration: Registration;
  // Sketch: the source, or null once disposed.

  /** Registers `io` with the driver of `handle` (default: the current runtime's) for `interest`. */
  constructor(io: E, interest: Interest = Interest.READABLE.add(Interest.WRITABLE), handle: IoHandle = currentIoHandle()) {
    todo("11-io-driver", "PollEvented.constructor");
  }

  /** The source; throws "PollEvented used after it was disposed" once disposed. */
  get io(): E {
    return todo("11-io-driver", "PollEvented.io");
  }

  pollRead(this: PollEvented<E & SourceRead>, cx: Context, buf: Uint8Array): Poll<number> {
    return todo("11-io-driver", "PollEvented.pollRead");
  }

  pollWrite(this: PollEvented<E & SourceWrite>, cx: Context, buf: Uint8Array): Poll<number> {
    return todo("11-io-driver", "PollEvented.pollWrite");
  }

  /**
   * Once: deregisters (ignoring a failure, as Tokio's `Drop` does with `let _ = deregister(..)`) and closes the
   * source, which is then gone.
   */
  [Symbol.dispose](): void {
    todo("11-io-driver", "PollEvented.dispose");
  }
}
