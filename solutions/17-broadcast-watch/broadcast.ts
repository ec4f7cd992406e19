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
 */
import type { Context, Waker } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { pollProceed, restore } from "#kata/14-blocking";
import { LinkedList } from "./linked-list.ts";
import { Notify, type Notified } from "./notify.ts";

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
  readonly waiters = new LinkedList<Recv<T>>();
  numTx = 1;
  readonly notifyLastRxDrop = new Notify();

  constructor(capacity: number, receivers: number) {
    this.buffer = Array.from({ length: capacity }, (_, i) => new Slot<T>(i - capacity, NO_VALUE));
    this.mask = capacity - 1;
    this.rxCnt = receivers;
    this.closed = receivers === 0;
  }

  /** Wakes every receiver waiting now (taken out of the list first, as Tokio's guarded list does). */
  notifyRx(): void {
    if (this.waiters.isEmpty()) return;
    const list = this.waiters.take();
    const wakers: Waker[] = [];
    for (let w = list.popBack(); w !== null; w = list.popBack()) {
      w.queued = false;
      const waker = w.takeWaker();
      if (waker !== null) wakers.push(waker);
    }
    for (const waker of wakers) waker.wake();
  }

  newReceiver(): Receiver<T> {
    if (this.rxCnt === 0) this.closed = false;
    this.rxCnt++;
    return new Receiver(this, this.pos);
  }
}

/** Rounds a capacity up to a power of two (Rust's `next_power_of_two`); throws Tokio's message for 0. */
function roundCapacity(capacity: number): number {
  if (capacity === 0) throw new Error("broadcast channel capacity cannot be zero");
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 2 ** 30) {
    throw new RangeError(`broadcast channel capacity must be a whole number from 1 to 2^30, got ${capacity}`);
  }
  let cap = 1;
  while (cap < capacity) cap *= 2;
  return cap;
}

/** A channel of `capacity` slots (rounded up to a power of two) and its first receiver. */
export function channel<T>(capacity: number): [Sender<T>, Receiver<T>] {
  const shared = new Shared<T>(roundCapacity(capacity), 1);
  return [new Sender(shared), new Receiver(shared, 0)];
}

export class Sender<T> implements Disposable {
  #shared: Shared<T> | null;

  constructor(shared: Shared<T>) {
    this.#shared = shared;
  }

  /** A sender with no receiver yet (Tokio's `Sender::new`): `subscribe()` to get one. */
  static new<T>(capacity: number): Sender<T> {
    return new Sender(new Shared<T>(roundCapacity(capacity), 0));
  }

  /** Sends to every receiver; returns how many there are. Throws `SendError` (with the value) if none. */
  send(value: T): number {
    const shared = this.#live();
    if (shared.rxCnt === 0) throw new SendError(value);
    const pos = shared.pos;
    const rem = shared.rxCnt;
    const slot = shared.buffer[pos & shared.mask]!;
    shared.pos = pos + 1;
    slot.pos = pos;
    slot.rem = rem;
    slot.val = value;
    shared.notifyRx();
    return rem;
  }

  /** A new receiver that starts at the tail: it sees only messages sent after this call. */
  subscribe(): Receiver<T> {
    return this.#live().newReceiver();
  }

  /** Messages still held that some receiver has yet to read. */
  len(): number {
    const shared = this.#live();
    const base = shared.pos & shared.mask;
    let low = 0;
    let high = shared.buffer.length;
    while (low < high) {
      const mid = low + ((high - low) >> 1);
      if (shared.buffer[(base + mid) & shared.mask]!.rem === 0) low = mid + 1;
      else high = mid;
    }
    return shared.buffer.length - low;
  }

  isEmpty(): boolean {
    const shared = this.#live();
    return shared.buffer[(shared.pos - 1) & shared.mask]!.rem === 0;
  }

  receiverCount(): number {
    return this.#live().rxCnt;
  }

  sameChannel(other: Sender<T>): boolean {
    return this.#live() === other.#live();
  }

  /** Completes once there is no receiver left. */
  closed(): Future<void> {
    return new SenderClosed(this.#live());
  }

  clone(): Sender<T> {
    const shared = this.#live();
    shared.numTx++;
    return new Sender(shared);
  }

  /** The last sender gone closes the channel: receivers get `Closed` once they have read everything. */
  [Symbol.dispose](): void {
    const shared = this.#shared;
    if (shared === null) return;
    this.#shared = null;
    if (--shared.numTx === 0) {
      shared.closed = true;
      shared.notifyRx();
    }
  }

  #live(): Shared<T> {
    if (this.#shared === null) throw new Error("broadcast Sender used after it was dropped");
    return this.#shared;
  }
}

class SenderClosed extends FutureBase<void> {
  #notified: Notified | null = null;

  constructor(readonly shared: Shared<unknown>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    for (;;) {
      if (this.#notified === null) {
        this.#notified = this.shared.notifyLastRxDrop.notified();
        if (this.shared.closed) {
          this.#dropNotified();
          return undefined;
        }
      }
      if (this.#notified.poll(cx) === Pending) return Pending;
      this.#notified = null;
    }
  }

  #dropNotified(): void {
    this.#notified?.[Symbol.dispose]();
    this.#notified = null;
  }

  [Symbol.dispose](): void {
    this.#dropNotified();
  }
}

const EMPTY: unique symbol = Symbol("empty");

export class Receiver<T> implements Disposable {
  #shared: Shared<T> | null;
  /** The position of the next message this receiver reads. */
  #next: number;

  constructor(shared: Shared<T>, next: number) {
    this.#shared = shared;
    this.#next = next;
  }

  /** Messages sent that this receiver has not read (including ones it will find overwritten). */
  len(): number {
    return this.#live().pos - this.#next;
  }

  isEmpty(): boolean {
    return this.len() === 0;
  }

  /** True once every sender is gone. */
  isClosed(): boolean {
    return this.#live().numTx === 0;
  }

  sameChannel(other: Receiver<T>): boolean {
    return this.#live() === other.#live();
  }

  /** A new receiver on the same channel, starting at the tail. */
  resubscribe(): Receiver<T> {
    return this.#live().newReceiver();
  }

  /** The next message; throws `RecvError` `lagged(n)` (then carries on from the oldest held) or `closed`. */
  recv(): Future<T> {
    return new Recv(this);
  }

  /** The next message now; throws `TryRecvError` `empty`, `closed` or `lagged(n)`. */
  tryRecv(): T {
    const v = this.recvRef(null, null);
    if (v === EMPTY) throw TryRecvError.empty();
    return v;
  }

  /**
   * Tokio's `recv_ref`: reads the slot of `next`. Returns the value, `EMPTY` (after queueing `waiter` with `waker`
   * when given), or throws `TryRecvError` `closed` / `lagged`.
   */
  recvRef(waiter: Recv<T> | null, waker: Context["waker"] | null): T | typeof EMPTY {
    const shared = this.#live();
    const slot = shared.buffer[this.#next & shared.mask]!;
    if (slot.pos !== this.#next) {
      if (slot.pos + shared.buffer.length === this.#next) {
        // Caught up: nothing new.
        if (shared.closed) throw TryRecvError.closed();
        if (waiter !== null && waker !== null) {
          if (waiter.waker === null || !waiter.waker.willWake(waker)) {
            const old = waiter.waker;
            waiter.waker = waker.clone();
            old?.drop();
          }
          if (!waiter.queued) {
            waiter.queued = true;
            shared.waiters.pushFront(waiter);
          }
        }
        return EMPTY;
      }
      // Fell behind: jump to the oldest message still held.
      const next = shared.pos - shared.buffer.length;
      const missed = next - this.#next;
      if (missed !== 0) {
        this.#next = next;
        throw TryRecvError.lagged(missed);
      }
    }
    this.#next++;
    const v = slot.val;
    if (--slot.rem === 0) slot.val = NO_VALUE;
    if (v === NO_VALUE) throw TryRecvError.closed();
    return v;
  }

  /** Takes a dropped receive out of the waiter list. */
  removeWaiter(waiter: Recv<T>): void {
    this.#shared?.waiters.remove(waiter);
  }

  /** Leaves the channel: marks every unread message read (so its slot can let go of it). */
  [Symbol.dispose](): void {
    const shared = this.#shared;
    if (shared === null) return;
    shared.rxCnt--;
    if (shared.rxCnt === 0) {
      shared.notifyLastRxDrop.notifyWaiters();
      shared.closed = true;
    }
    const until = shared.pos;
    while (this.#next < until) {
      try {
        this.recvRef(null, null);
      } catch (e) {
        if (!(e instanceof TryRecvError) || e.kind === "closed") break;
      }
    }
    this.#shared = null;
  }

  #live(): Shared<T> {
    if (this.#shared === null) throw new Error("broadcast Receiver used after it was dropped");
    return this.#shared;
  }
}

/** `Receiver.recv()`: also the receiver's node in the channel's waiter list. */
class Recv<T> extends FutureBase<T> {
  prev: Recv<T> | null = null;
  next: Recv<T> | null = null;
  waker: Waker | null = null;
  queued = false;
  #done = false;

  constructor(readonly receiver: Receiver<T>) {
    super();
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new Error("`Recv` polled after completion");
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    let v: T | typeof EMPTY;
    try {
      v = this.receiver.recvRef(this, cx.waker);
    } catch (e) {
      this.#finish();
      if (e instanceof TryRecvError) throw e.kind === "lagged" ? RecvError.lagged(e.missed) : RecvError.closed();
      throw e;
    }
    if (v === EMPTY) {
      restore(coop);
      return Pending;
    }
    this.#finish();
    return v;
  }

  takeWaker(): Waker | null {
    const w = this.waker;
    this.waker = null;
    return w;
  }

  #finish(): void {
    this.#done = true;
    this[Symbol.dispose]();
  }

  /** Leaves the waiter list; nothing else to undo (cancel safe). */
  [Symbol.dispose](): void {
    if (this.queued) {
      this.queued = false;
      this.receiver.removeWaiter(this);
    }
    this.takeWaker()?.drop();
  }
}
