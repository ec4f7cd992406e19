/**
 * `broadcast` (Tokio's `sync/broadcast.rs`): every receiver sees every message, from a fixed ring of slots.
 *
 *     const [tx, rx1] = broadcast.channel<string>(16);
 *     const rx2 = tx.subscribe();              // starts at the tail: sees only what is sent from now on
 *     tx.send("hi");                           // never waits; returns how many receivers will see it
 *     yield* rx1.recv();                       // "hi"
 *
 * The ring has `capacity` slots, rounded up to a power of two so a position maps to its slot with a mask. Each
 * message gets a position (0, 1, 2, ...); slot `pos & mask` holds it with `rem`, the receivers yet to read it.
 *
 *        tail.pos = 10, capacity 4           slot:  0      1      2      3
 *        positions held: 6 7 8 9                    pos 8  pos 9  pos 6  pos 7
 *        a receiver at next = 4 has lagged: messages 4 and 5 were overwritten
 *
 * - `send` fails (`SendError` with the value) when there are no receivers; otherwise it overwrites the oldest slot
 *   whatever its readers, advances the tail, wakes every waiting receiver, and returns the receiver count.
 * - A receiver reads the slot of its `next` position. The slot's `pos` tells what happened:
 *   equal to `next`: the message, and `next` advances; `pos + capacity == next`: nothing new yet (caught up):
 *   `Closed` if every sender is gone, else wait; anything else: it fell behind: it jumps to the oldest message
 *   still held (`tail.pos - capacity`) and gets `Lagged(n)` with `n` = the messages it missed; the next receive
 *   returns that oldest message.
 * - A receiver reports `Closed` only once caught up: what was sent before the last sender left is still delivered.
 * - Receiving spends a unit of the budget (Tokio's `cooperative` wrapper) and gives it back when `Pending`.
 *   `recv` is cancel safe: a dropped receive loses nothing.
 *
 * Rust clones the value for each receiver (`T: Clone`); JavaScript hands every receiver the same value, so treat
 * messages as immutable. A slot lets go of its value once every receiver counted in `rem` has read it.
 *
 * Given: the errors, the layout (`Slot`, `Shared`), `channel()` and `Sender.new()`.
 */
import type { Context, Waker } from "#kata/03-waker";
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import { LinkedList } from "./linked-list.ts";
import { Notify } from "./notify.ts";
import { todo } from "#kit/todo";

/** No receiver: the value comes back in `value`. */
export class SendError<T> extends Error {
  override readonly name = "SendError";
  readonly kind = "closed" as const;

  constructor(readonly value: T) {
    super("channel closed");
  }
}

export type RecvErrorKind = "closed" | "lagged";

/** `closed`: every sender is gone and this receiver has read everything. `lagged`: `missed` messages were lost. */
export class RecvError extends Error {
  override readonly name = "RecvError";

  private constructor(
    readonly kind: RecvErrorKind,
    readonly missed: number,
  ) {
    super(kind === "closed" ? "channel closed" : `channel lagged by ${missed}`);
  }

  static closed(): RecvError {
    return new RecvError("closed", 0);
  }

  static lagged(missed: number): RecvError {
    return new RecvError("lagged", missed);
  }
}

export type TryRecvErrorKind = "empty" | "closed" | "lagged";

export class TryRecvError extends Error {
  override readonly name = "TryRecvError";

  private constructor(
    readonly kind: TryRecvErrorKind,
    readonly missed: number,
  ) {
    super(kind === "empty" ? "channel empty" : kind === "closed" ? "channel closed" : `channel lagged by ${missed}`);
  }

  static empty(): TryRecvError {
    return new TryRecvError("empty", 0);
  }

  static closed(): TryRecvError {
    return new TryRecvError("closed", 0);
  }

  static lagged(missed: number): TryRecvError {
    return new TryRecvError("lagged", missed);
  }
}

/** What a slot holds when it holds no value (a value may be `undefined`). */
const NO_VALUE: unique symbol = Symbol("no value");

class Slot<T> {
  /** Receivers that have yet to read this message. */
  rem = 0;
  constructor(
    public pos: number,
    public val: T | typeof NO_VALUE,
  ) {}
}

/** Everything the halves share (Tokio's `Shared` with its `Tail`). */
class Shared<T> {
  readonly buffer: Slot<T>[];
  readonly mask: number;
  /** The position the next message gets. */
  pos = 0;
  rxCnt: number;
  /** No sender left, or no receiver left. */
  closed: boolean;
  /** Receives waiting for the next message (`Recv` futures are their own nodes). */
  readonly waiters = new LinkedList<Recv<T>>();
  numTx = 1;
  readonly notifyLastRxDrop = new Notify();

  /** Slot `i` starts at position `i - capacity`: "one lap before 0", so a receiver at 0 sees it as caught up. */
  constructor(capacity: number, receivers: number) {
    this.buffer = Array.from({ length: capacity }, (_, i) => new Slot<T>(i - capacity, NO_VALUE));
    this.mask = capacity - 1;
    this.rxCnt = receivers;
    this.closed = receivers === 0;
  }

  /** Wakes every receiver waiting now: take them all out first (clearing `queued`), then wake them. */
  notifyRx(): void {
    todo("17-broadcast-watch", "broadcast.Shared.notifyRx");
  }

  /** A receiver at the tail; the first receiver after none reopens the channel (`closed = false`). */
  newReceiver(): Receiver<T> {
    return todo("17-broadcast-watch", "broadcast.Shared.newReceiver");
  }
}

/**
 * Rounds a capacity up to a power of two (Rust's `next_power_of_two`). 0 throws Tokio's
 * "broadcast channel capacity cannot be zero"; anything but a whole number from 1 to 2^30 throws a RangeError.
 */
function roundCapacity(capacity: number): number {
  return todo("17-broadcast-watch", "broadcast.roundCapacity");
}

/** A channel of `capacity` slots (rounded up to a power of two) and its first receiver. */
export function channel<T>(capacity: number): [Sender<T>, Receiver<T>] {
  const shared = new Shared<T>(roundCapacity(capacity), 1);
  return [new Sender(shared), new Receiver(shared, 0)];
}

export class Sender<T> implements Disposable {
  constructor(shared: Shared<T>) {
    todo("17-broadcast-watch", "broadcast.Sender.constructor");
  }

  /** A sender with no receiver yet (Tokio's `Sender::new`): `subscribe()` to get one. */
  static new<T>(capacity: number): Sender<T> {
    return new Sender(new Shared<T>(roundCapacity(capacity), 0));
  }

  /** Sends to every receiver; returns how many there are. Throws `SendError` (with the value) if none. */
  send(value: T): number {
    return todo("17-broadcast-watch", "broadcast.Sender.send");
  }

  /** A new receiver that starts at the tail: it sees only messages sent after this call. */
  subscribe(): Receiver<T> {
    return todo("17-broadcast-watch", "broadcast.Sender.subscribe");
  }

  /**
   * Messages still held that some receiver has yet to read: the slots from the tail on whose `rem` is not 0
   * (Tokio finds the first one by binary search, as `rem` is 0 for a prefix of the ring read from the tail).
   */
  len(): number {
    return todo("17-broadcast-watch", "broadcast.Sender.len");
  }

  /** True when the newest message has been read by everyone (or there is none). */
  isEmpty(): boolean {
    return todo("17-broadcast-watch", "broadcast.Sender.isEmpty");
  }

  receiverCount(): number {
    return todo("17-broadcast-watch", "broadcast.Sender.receiverCount");
  }

  sameChannel(other: Sender<T>): boolean {
    return todo("17-broadcast-watch", "broadcast.Sender.sameChannel");
  }

  /** Completes once there is no receiver left (waits on `notifyLastRxDrop`, asking before checking). */
  closed(): Future<void> {
    return todo("17-broadcast-watch", "broadcast.Sender.closed");
  }

  clone(): Sender<T> {
    return todo("17-broadcast-watch", "broadcast.Sender.clone");
  }

  /** The last sender gone closes the channel and wakes the waiting receivers. */
  [Symbol.dispose](): void {
    todo("17-broadcast-watch", "broadcast.Sender[Symbol.dispose]");
  }
}

/** What `recvRef` returns when there is nothing to read yet. */
const EMPTY: unique symbol = Symbol("empty");

export class Receiver<T> implements Disposable {
  constructor(shared: Shared<T>, next: number) {
    todo("17-broadcast-watch", "broadcast.Receiver.constructor");
  }

  /** Messages sent that this receiver has not read (including ones it will find overwritten). */
  len(): number {
    return todo("17-broadcast-watch", "broadcast.Receiver.len");
  }

  isEmpty(): boolean {
    return todo("17-broadcast-watch", "broadcast.Receiver.isEmpty");
  }

  /** True once every sender is gone. */
  isClosed(): boolean {
    return todo("17-broadcast-watch", "broadcast.Receiver.isClosed");
  }

  sameChannel(other: Receiver<T>): boolean {
    return todo("17-broadcast-watch", "broadcast.Receiver.sameChannel");
  }

  /** A new receiver on the same channel, starting at the tail. */
  resubscribe(): Receiver<T> {
    return todo("17-broadcast-watch", "broadcast.Receiver.resubscribe");
  }

  /**
   * The next message; throws `RecvError` `lagged(n)` (then carries on from the oldest held) or `closed`. Spends a
   * unit of budget; a waiting receive queues itself (its own node) and gives the unit back. Polled after it
   * completed, it throws "`Recv` polled after completion".
   */
  recv(): Future<T> {
    return todo("17-broadcast-watch", "broadcast.Receiver.recv");
  }

  /** The next message now; throws `TryRecvError` `empty`, `closed` or `lagged(n)`. */
  tryRecv(): T {
    return todo("17-broadcast-watch", "broadcast.Receiver.tryRecv");
  }

  /**
   * Tokio's `recv_ref`: reads the slot of `next`. Returns the value (and marks it read: `rem` down by one, the value
   * let go at 0), `EMPTY` (after queueing `waiter` with a clone of `waker` when they are given), or throws
   * `TryRecvError` `closed` / `lagged(n)`.
   */
  recvRef(waiter: Recv<T> | null, waker: Context["waker"] | null): T | typeof EMPTY {
    return todo("17-broadcast-watch", "broadcast.Receiver.recvRef");
  }

  /** Takes a dropped receive out of the waiter list. */
  removeWaiter(waiter: Recv<T>): void {
    todo("17-broadcast-watch", "broadcast.Receiver.removeWaiter");
  }

  /**
   * Leaves the channel (once): one receiver fewer (the last one closes the channel and notifies the senders'
   * `closed()`), and every message it has not read is marked read, so the slots can let go of them.
   */
  [Symbol.dispose](): void {
    todo("17-broadcast-watch", "broadcast.Receiver[Symbol.dispose]");
  }
}

/** `Receiver.recv()`: also the receiver's node in the channel's waiter list. */
class Recv<T> extends FutureBase<T> {
  prev: Recv<T> | null = null;
  next: Recv<T> | null = null;
  waker: Waker | null = null;
  /** In `Shared.waiters`. */
  queued = false;
  // Sketch: the rest is yours (the receiver, a done flag, `poll`, `[Symbol.dispose]`).

  constructor(readonly receiver: Receiver<T>) {
    super();
  }

  poll(cx: Context): Poll<T> {
    return todo("17-broadcast-watch", "broadcast.Recv.poll");
  }

  takeWaker(): Waker | null {
    return todo("17-broadcast-watch", "broadcast.Recv.takeWaker");
  }

  /** Leaves the waiter list; nothing else to undo (cancel safe). */
  [Symbol.dispose](): void {
    todo("17-broadcast-watch", "broadcast.Recv[Symbol.dispose]");
  }
}
