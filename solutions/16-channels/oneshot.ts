/**
 * `oneshot` (Tokio's `sync/oneshot.rs`): one value, sent once, from one task to another.
 *
 *     const [tx, rx] = oneshot.channel<number>();
 *     spawn(asyncBlock(function* () { tx.send(42); }));
 *     const v = yield* rx;                      // the receiver is itself the future
 *
 * The shared cell holds the value and a state word with Tokio's bits:
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
 */
import type { Context, Waker } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { pollProceed, restore } from "#kata/14-blocking";

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

const NO_VALUE: unique symbol = Symbol("no value");

/** The cell both halves share (Tokio's `Inner`). */
class Inner<T> {
  state = 0;
  value: T | typeof NO_VALUE = NO_VALUE;
  txTask: Waker | null = null;
  rxTask: Waker | null = null;

  /** Sets VALUE_SENT unless the receiver closed first; wakes the receiver. False if closed. */
  complete(): boolean {
    const prev = this.state;
    if ((prev & CLOSED) !== 0) return false;
    this.state = prev | VALUE_SENT;
    if ((prev & RX_TASK_SET) !== 0) this.rxTask!.wakeByRef();
    return true;
  }

  /** Sets CLOSED; wakes the sender's `closed()`; returns the state before. */
  close(): number {
    const prev = this.state;
    this.state = prev | CLOSED;
    if ((prev & VALUE_SENT) === 0) {
      if ((prev & TX_TASK_SET) !== 0) this.txTask!.wakeByRef();
      if ((prev & RX_TASK_SET) !== 0) {
        this.state &= ~RX_TASK_SET;
        this.rxTask!.drop();
        this.rxTask = null;
      }
    }
    return prev;
  }

  consumeValue(): T | typeof NO_VALUE {
    const v = this.value;
    this.value = NO_VALUE;
    return v;
  }

  pollRecv(cx: Context): Poll<T> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    const state = this.state;
    if ((state & VALUE_SENT) !== 0) return this.#take();
    if ((state & CLOSED) !== 0) throw new RecvError();
    if ((state & RX_TASK_SET) === 0 || !this.rxTask!.willWake(cx.waker)) {
      const old = this.rxTask;
      this.rxTask = cx.waker.clone();
      this.state |= RX_TASK_SET;
      old?.drop();
      // Re-check: cloning a waker runs code we do not control.
      if ((this.state & VALUE_SENT) !== 0) return this.#take();
    }
    restore(coop);
    return Pending;
  }

  pollClosed(cx: Context): Poll<void> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    if ((this.state & CLOSED) !== 0) return undefined;
    if ((this.state & TX_TASK_SET) === 0 || !this.txTask!.willWake(cx.waker)) {
      const old = this.txTask;
      this.txTask = cx.waker.clone();
      this.state |= TX_TASK_SET;
      old?.drop();
      if ((this.state & CLOSED) !== 0) return undefined;
    }
    restore(coop);
    return Pending;
  }

  #take(): T {
    const v = this.consumeValue();
    if (v === NO_VALUE) throw new RecvError();
    return v;
  }
}

/** A new channel: the sending half and the receiving half. */
export function channel<T>(): [Sender<T>, Receiver<T>] {
  const inner = new Inner<T>();
  return [new Sender(inner), new Receiver(inner)];
}

export class Sender<T> implements Disposable {
  #inner: Inner<T> | null;

  constructor(inner: Inner<T>) {
    this.#inner = inner;
  }

  /** Sends the value and consumes the sender. Throws `SendError` (with the value) if the receiver is gone. */
  send(value: T): void {
    const inner = this.#live();
    this.#inner = null;
    inner.value = value;
    if (!inner.complete()) {
      inner.consumeValue();
      throw new SendError(value);
    }
  }

  /** True once the receiver has been dropped or closed. */
  isClosed(): boolean {
    return (this.#live().state & CLOSED) !== 0;
  }

  /** Completes once the receiver has been dropped or closed. Spends budget like a receive. */
  pollClosed(cx: Context): Poll<void> {
    return this.#live().pollClosed(cx);
  }

  closed(): Future<void> {
    const inner = this.#live();
    return new SenderClosed(inner);
  }

  /** Dropped without sending: the receiver gets `RecvError`. */
  [Symbol.dispose](): void {
    const inner = this.#inner;
    if (inner === null) return;
    this.#inner = null;
    inner.complete();
  }

  #live(): Inner<T> {
    if (this.#inner === null) throw new Error("oneshot Sender used after it was consumed by send() or dropped");
    return this.#inner;
  }
}

class SenderClosed extends FutureBase<void> {
  constructor(readonly inner: Inner<unknown>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    return this.inner.pollClosed(cx);
  }
}

/** The receiving half, and the future of the value: `yield* rx` gives it or throws `RecvError`. */
export class Receiver<T> extends FutureBase<T> implements Disposable {
  #inner: Inner<T> | null;

  constructor(inner: Inner<T>) {
    super();
    this.#inner = inner;
  }

  poll(cx: Context): Poll<T> {
    const inner = this.#inner;
    if (inner === null) throw new Error("called after complete");
    let out: Poll<T>;
    try {
      out = inner.pollRecv(cx);
    } catch (e) {
      this.#inner = null;
      throw e;
    }
    if (out !== Pending) this.#inner = null;
    return out;
  }

  /** Refuses the value: a later `send` fails, the sender's `closed()` completes. A value already sent stays. */
  close(): void {
    this.#inner?.close();
  }

  /** True once the value (or the error) has been received. */
  isTerminated(): boolean {
    return this.#inner === null;
  }

  /** True unless a value is waiting to be received. */
  isEmpty(): boolean {
    const inner = this.#inner;
    if (inner === null) return true;
    return (inner.state & VALUE_SENT) === 0 || inner.value === NO_VALUE;
  }

  /**
   * The value if it has been sent; throws `TryRecvError` `empty` if not yet, `closed` if the sender is gone (or the
   * receiver closed). Any outcome but `empty` terminates the receiver.
   */
  tryRecv(): T {
    const inner = this.#inner;
    if (inner === null) throw TryRecvError.closed();
    const state = inner.state;
    if ((state & VALUE_SENT) === 0 && (state & CLOSED) === 0) throw TryRecvError.empty();
    this.#inner = null;
    const v = (state & VALUE_SENT) !== 0 ? inner.consumeValue() : NO_VALUE;
    if (v === NO_VALUE) throw TryRecvError.closed();
    return v;
  }

  /** Closes the channel and drops a value that was sent but not received. */
  [Symbol.dispose](): void {
    const inner = this.#inner;
    if (inner === null) return;
    this.#inner = null;
    if ((inner.close() & VALUE_SENT) !== 0) inner.consumeValue();
  }
}
