/**
 * `oneshot` (Tokio's `sync/oneshot.rs`): one value, sent once, from one task to another.
 *
 *     const [tx, rx] = oneshot.channel<number>();
 *     spawn(asyncBlock(function* () { tx.send(42); }));
 *     const v = yield* rx;                      // the receiver is itself the future
 *
 * The shared cell holds the value and a state word with Tokio's bits (given below):
 *
 *     RX_TASK_SET 0b0001   the receiver's waker is stored
 *     VALUE_SENT  0b0010   the sender completed the channel (with a value, or by being dropped without one)
 *     CLOSED      0b0100   the receiver closed the channel (`close()` or dropped)
 *     TX_TASK_SET 0b1000   the sender's waker is stored (`closed()`)
 *
 * - `send(v)` consumes the sender; if the receiver is gone it throws `SendError` carrying `v` back.
 * - A sender dropped without sending completes the channel with no value: the receiver throws `RecvError`.
 * - `closed()` is a future that completes once the receiver is gone or closed (and so nobody wants the value).
 * - Polling the receiver spends a unit of the cooperative budget (given back when `Pending`). Dropping a `Receiver`
 *   closes the channel and drops a value that was sent but not received.
 *
 * Invariants: the value is written at most once and taken at most once; VALUE_SENT is never set after CLOSED (a
 * send into a closed channel fails); a stored waker is replaced only when it would not wake the same task.
 *
 * Given: the state bits, the error classes, and `channel()`.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

const RX_TASK_SET = 0b0001;
const VALUE_SENT = 0b0010;
const CLOSED = 0b0100;
const TX_TASK_SET = 0b1000;

/** The receiver was dropped or closed: the value comes back in `value`. */
export class SendError<T> extends Error {
  override readonly name = "SendError";
  readonly kind = "closed" as const;

  constructor(readonly value: T) {
    super("channel closed");
  }
}

/** The sender was dropped without sending (Tokio's `oneshot::error::RecvError`). */
export class RecvError extends Error {
  override readonly name = "RecvError";
  readonly kind = "closed" as const;

  constructor() {
    super("channel closed");
  }
}

export type TryRecvErrorKind = "empty" | "closed";

export class TryRecvError extends Error {
  override readonly name = "TryRecvError";

  private constructor(readonly kind: TryRecvErrorKind) {
    super(kind === "empty" ? "channel empty" : "channel closed");
  }

  static empty(): TryRecvError {
    return new TryRecvError("empty");
  }

  static closed(): TryRecvError {
    return new TryRecvError("closed");
  }
}

/**
 * The cell both halves share (Tokio's `Inner`). Sketch: `state` (the bits above), the value (mind that
 * `undefined` is a value: use a private "no value" symbol), the sender's and the receiver's stored wakers, and the
 * operations both halves need: `complete()` (set VALUE_SENT unless CLOSED, wake the receiver), `close()` (set
 * CLOSED, wake the sender's `closed()`), `pollRecv(cx)`, `pollClosed(cx)`.
 */
class Inner<T> {
  state = 0;
}

/** A new channel: the sending half and the receiving half. */
export function channel<T>(): [Sender<T>, Receiver<T>] {
  const inner = new Inner<T>();
  return [new Sender(inner), new Receiver(inner)];
}

export class Sender<T> implements Disposable {
  constructor(inner: Inner<T>) {
    todo("16-channels", "oneshot.Sender.constructor");
  }

  /**
   * Sends the value and consumes the sender (any later use of it throws). Throws `SendError` (with the value) if
   * the receiver is gone or closed.
   */
  send(value: T): void {
    todo("16-channels", "oneshot.Sender.send");
  }

  /** True once the receiver has been dropped or closed. */
  isClosed(): boolean {
    return todo("16-channels", "oneshot.Sender.isClosed");
  }

  /**
   * Ready once the receiver has been dropped or closed; else stores the waker (TX_TASK_SET) and is `Pending`.
   * Spends budget like a receive.
   */
  pollClosed(cx: Context): Poll<void> {
    return todo("16-channels", "oneshot.Sender.pollClosed");
  }

  /** A future whose every poll is `pollClosed`. */
  closed(): Future<void> {
    return todo("16-channels", "oneshot.Sender.closed");
  }

  /** Dropped without sending: completes the channel with no value; the receiver gets `RecvError`. */
  [Symbol.dispose](): void {
    todo("16-channels", "oneshot.Sender[Symbol.dispose]");
  }
}

/** The receiving half, and the future of the value: `yield* rx` gives it or throws `RecvError`. */
export class Receiver<T> extends FutureBase<T> implements Disposable {
  constructor(inner: Inner<T>) {
    super();
    todo("16-channels", "oneshot.Receiver.constructor");
  }

  /**
   * Spends a unit of budget; the value if sent (`RecvError` if the sender completed without one, or the channel is
   * closed); else stores a clone of the waker (unless the stored one `willWake` it), gives the unit back and is
   * `Pending`. Once it has returned or thrown, the receiver is terminated: polling again throws
   * "called after complete".
   */
  poll(cx: Context): Poll<T> {
    return todo("16-channels", "oneshot.Receiver.poll");
  }

  /** Refuses the value: a later `send` fails, the sender's `closed()` completes. A value already sent stays. */
  close(): void {
    todo("16-channels", "oneshot.Receiver.close");
  }

  /** True once the value (or the error) has been received. */
  isTerminated(): boolean {
    return todo("16-channels", "oneshot.Receiver.isTerminated");
  }

  /** True unless a value is waiting to be received. */
  isEmpty(): boolean {
    return todo("16-channels", "oneshot.Receiver.isEmpty");
  }

  /**
   * The value if it has been sent; throws `TryRecvError` `empty` if not yet, `closed` if the sender is gone (or the
   * receiver closed). Any outcome but `empty` terminates the receiver.
   */
  tryRecv(): T {
    return todo("16-channels", "oneshot.Receiver.tryRecv");
  }

  /** Closes the channel and drops a value that was sent but not received. */
  [Symbol.dispose](): void {
    todo("16-channels", "oneshot.Receiver[Symbol.dispose]");
  }
}
