/**
 * The channel both `mpsc` flavours share (Tokio's `sync/mpsc/chan.rs`): a queue of messages, the receiver's waker,
 * the count of senders, and a capacity counter (`ChanSemaphore`) that each flavour supplies.
 *
 *     Sender ─┐                                           ┌─ permits: bounded = a batch semaphore of `buffer`
 *     Sender ─┼─▶ queue [m1 m2 m3 ...] (+ "closed" mark) ─┤            unbounded = a count of queued messages
 *     Sender ─┘            │                              └─ rx waker, rx closed flag, notify for `closed()`
 *                          ▼
 *                       Receiver
 *
 * - `send` queues a message whose slot the sender already holds, then wakes the receiver.
 * - `recv` (Tokio's `Rx::recv`): spend a unit of budget; try to pop; register the waker; try again (a message may
 *   have arrived while registering); then end (`undefined`, Rust's `None`) if the receiver is closed and no
 *   capacity is in use, else `Pending` and give the unit back. Popping a message returns its permit.
 * - When the last sender is dropped the queue gets its "closed" mark behind the last message: the receiver drains
 *   what was sent and then reads `undefined`.
 * - `close()` (receiver side) closes the semaphore, so senders fail from now on (and waiting ones are woken with
 *   an error), but what is queued can still be received; it also wakes every sender's `closed()`.
 *
 * Tokio stores messages in a linked list of 32-slot blocks that senders on many threads fill lock-free; on one
 * thread a ring buffer (`VecDeque` from `#kit/vec-deque`) does the same job. Tokio keeps the receiver's waker in
 * an `AtomicWaker`, which gives it up on every wake (a clone per wait); here it stays stored, with a flag saying
 * whether the receiver waits: a send wakes it by reference, once per wait. Use a `Notify`
 * (`#kata/17-broadcast-watch`) for `closed()`.
 *
 * Invariants: the receiver reads messages in the order they were queued; nothing is queued after the closed mark;
 * each popped message gives exactly one permit back.
 *
 * Given: `ChanSemaphore`. The senders and receivers of both flavours (`Tx`, `Rx`) are thin: the work is in `Chan`.
 */
import type { Context } from "#kata/03-waker";
import type { Future, Poll } from "#kata/01-poll";
import type { Notify } from "#kata/17-broadcast-watch";
import { todo } from "#kit/todo";

/** The capacity counter of a channel (Tokio's `chan::Semaphore` trait). */
export interface ChanSemaphore {
  /** True when no message is queued and no capacity is reserved: nothing more can come once closed. */
  isIdle(): boolean;
  /** A message left the queue: its capacity is free again. */
  addPermit(): void;
  /** The receiver closed the channel: no more capacity for anyone. */
  close(): void;
  isClosed(): boolean;
}

export class Chan<T, S extends ChanSemaphore = ChanSemaphore> {
  // Sketch: the queue, the "closed" mark (every sender gone), the receiver's waker and "waiting" flag, the sender count
  // (starts at 1), the receiver's closed flag.

  /** Woken (all of them) when the receiver closes: the senders' `closed()`. */
  readonly notifyRxClosed!: Notify;

  constructor(
    readonly semaphore: S,
    initialCapacity = 16,
  ) {
    todo("16-channels", "mpsc.Chan.constructor");
  }

  // Sender side

  /** Queues a message (its capacity already taken) and wakes the receiver. */
  send(value: T): void {
    todo("16-channels", "mpsc.Chan.send");
  }

  /** Wakes the receiver if it is waiting (once per wait, by reference: the waker stays stored). */
  wakeRx(): void {
    todo("16-channels", "mpsc.Chan.wakeRx");
  }

  get txCount(): number {
    return todo("16-channels", "mpsc.Chan.txCount");
  }

  incTxCount(): void {
    todo("16-channels", "mpsc.Chan.incTxCount");
  }

  /** A sender is dropped; the last one marks the queue closed and wakes the receiver. */
  decTxCount(): void {
    todo("16-channels", "mpsc.Chan.decTxCount");
  }

  // Receiver side

  /** The body of `recv()`, as described above. */
  recv(cx: Context): Poll<T | undefined> {
    return todo("16-channels", "mpsc.Chan.recv");
  }

  /**
   * The next message now (its permit returned), or throws `TryRecvError`: `disconnected` after the closed mark,
   * or when the receiver is closed and no capacity is in use; `empty` otherwise.
   */
  tryRecv(): T {
    return todo("16-channels", "mpsc.Chan.tryRecv");
  }

  /** Stops the senders (closes the semaphore) but keeps the queue for the receiver; notifies `closed()` waiters. */
  close(): void {
    todo("16-channels", "mpsc.Chan.close");
  }

  /** The receiver's view: closed by it, or no sender left. */
  isClosed(): boolean {
    return todo("16-channels", "mpsc.Chan.isClosed");
  }

  isEmpty(): boolean {
    return todo("16-channels", "mpsc.Chan.isEmpty");
  }

  len(): number {
    return todo("16-channels", "mpsc.Chan.len");
  }

  /** The receiver is dropped: close, forget its waker, drop what is queued (returning each permit). */
  dropRx(): void {
    todo("16-channels", "mpsc.Chan.dropRx");
  }
}

/** What every sender has (Tokio's `chan::Tx`): a counted handle on the channel. */
export abstract class Tx<T, S extends ChanSemaphore> implements Disposable {
  constructor(chan: Chan<T, S>) {
    todo("16-channels", "mpsc.Tx.constructor");
  }

  /** The channel; throws "Sender used after it was dropped" once this sender is disposed. */
  protected get chan(): Chan<T, S> {
    return todo("16-channels", "mpsc.Tx.chan");
  }

  /** True once the receiver has been dropped or closed. */
  isClosed(): boolean {
    return todo("16-channels", "mpsc.Tx.isClosed");
  }

  /**
   * Completes once the receiver has been dropped or closed. As Tokio's async fn: on its first poll it asks
   * `notifyRxClosed` for a `Notified` *before* checking whether the channel is closed, then waits on it.
   */
  closed(): Future<void> {
    return todo("16-channels", "mpsc.Tx.closed");
  }

  sameChannel(other: Tx<T, S>): boolean {
    return todo("16-channels", "mpsc.Tx.sameChannel");
  }

  /** How many senders (clones included) are alive. */
  strongCount(): number {
    return todo("16-channels", "mpsc.Tx.strongCount");
  }

  /** Drops this sender (once); when it is the last one, the receiver sees the end after the last message. */
  [Symbol.dispose](): void {
    todo("16-channels", "mpsc.Tx[Symbol.dispose]");
  }
}

/** What every receiver has (Tokio's `chan::Rx`). */
export class Rx<T, S extends ChanSemaphore> implements Disposable {
  constructor(chan: Chan<T, S>) {
    todo("16-channels", "mpsc.Rx.constructor");
  }

  /** The channel; throws "Receiver used after it was dropped" once this receiver is disposed. */
  protected get chan(): Chan<T, S> {
    return todo("16-channels", "mpsc.Rx.chan");
  }

  /**
   * The next message, or `undefined` once every sender is gone (or the receiver closed) and the queue is drained.
   * Cancel safe: dropping the future before it completes loses no message. Polled after it completed, the future
   * throws "`Recv` polled after completion".
   */
  recv(): Future<T | undefined> {
    return todo("16-channels", "mpsc.Rx.recv");
  }

  /** One poll of `recv()`, for hand-written futures: no future object needed. */
  pollRecv(cx: Context): Poll<T | undefined> {
    return todo("16-channels", "mpsc.Rx.pollRecv");
  }

  /** The next message now; throws `TryRecvError` `empty` or `disconnected`. */
  tryRecv(): T {
    return todo("16-channels", "mpsc.Rx.tryRecv");
  }

  /** Stops the senders; messages already queued can still be received. */
  close(): void {
    todo("16-channels", "mpsc.Rx.close");
  }

  isClosed(): boolean {
    return todo("16-channels", "mpsc.Rx.isClosed");
  }

  isEmpty(): boolean {
    return todo("16-channels", "mpsc.Rx.isEmpty");
  }

  /** Messages queued. */
  len(): number {
    return todo("16-channels", "mpsc.Rx.len");
  }

  senderStrongCount(): number {
    return todo("16-channels", "mpsc.Rx.senderStrongCount");
  }

  /** Closes the channel and drops every queued message (once). */
  [Symbol.dispose](): void {
    todo("16-channels", "mpsc.Rx[Symbol.dispose]");
  }
}
