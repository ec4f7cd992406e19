/**
 * `watch` (Tokio's `sync/watch.rs`): one value, the latest; receivers learn that it changed.
 *
 *     const [tx, rx] = watch.channel({ level: "info" });
 *     tx.send({ level: "debug" });             // replaces the value, bumps the version, wakes receivers
 *     yield* rx.changed();                     // completes: a version this receiver has not seen
 *     rx.borrowAndUpdate().value;              // { level: "debug" }, and now seen
 *
 * The state is a version number that steps by 2, with bit 0 set once every sender is gone (`CLOSED_BIT`).
 * Each receiver remembers the last version it has seen; the initial value counts as seen, and `subscribe()`
 * starts at the current version.
 *
 * - `changed()`: completes as soon as the version differs from the one seen (and marks it seen); throws
 *   `RecvError` if the channel is closed and there is nothing unseen: an unseen value wins over closed. It loops
 *   "ask to be notified, check, wait", so a change between the check and the wait is never missed. It spends a
 *   unit of budget per poll (Tokio's `cooperative`).
 * - `borrow()` reads the value without marking it seen; `borrowAndUpdate()` marks it seen. Both say (in
 *   `hasChanged()` of the `Ref`) whether it was unseen. `hasChanged()` on the receiver: throws `RecvError` when
 *   closed, else whether the version differs.
 * - `send(v)` fails (`SendError` with `v`) when no receiver is left; `sendReplace(v)` always stores and returns the
 *   old value; `sendModify(f)` edits in place; `sendIfModified(f)` notifies only if `f` returns true.
 *
 * Tokio spreads its waiters over 8 `Notify`s (`BigNotify`) to reduce contention between threads; one is enough
 * here. A `Ref` in Tokio holds a read lock; JavaScript needs none.
 *
 * Given: the constants, the errors, `Slot`, `Ref`, the fields of `Shared`, `channel()`.
 */
import type { Future } from "#kata/01-poll";
import { Notify, type Notified } from "./notify.ts";
import { todo } from "#kit/todo";

const CLOSED_BIT = 1;
const STEP_SIZE = 2;

export class SendError<T> extends Error {
  override readonly name = "SendError";
  readonly kind = "closed" as const;

  constructor(readonly value: T) {
    super("channel closed");
  }
}

/** The channel is closed (every sender is gone). */
export class RecvError extends Error {
  override readonly name = "RecvError";
  readonly kind = "closed" as const;

  constructor() {
    super("channel closed");
  }
}

/** A place holding the value, handed to `sendModify`: assign `slot.value`, or mutate it. */
export interface Slot<T> {
  value: T;
}

class Shared<T> implements Slot<T> {
  /** Version (steps of `STEP_SIZE`) + `CLOSED_BIT` once every sender is gone. */
  state = 0;
  refCountRx = 1;
  refCountTx = 1;
  /** Receivers waiting in `changed()`. */
  readonly notifyRx = new Notify();
  /** Senders waiting in `closed()`. */
  readonly notifyTx = new Notify();

  constructor(public value: T) {}

  /**
   * The version part of `state`. Use arithmetic rather than bit operators: JavaScript's are 32-bit, and a version
   * must not wrap after 2^30 sends.
   */
  get version(): number {
    return todo("17-broadcast-watch", "watch.Shared.version");
  }

  get isClosed(): boolean {
    return todo("17-broadcast-watch", "watch.Shared.isClosed");
  }

  setClosed(): void {
    todo("17-broadcast-watch", "watch.Shared.setClosed");
  }
}

/** A read of the value, and whether it was unseen by whoever read it. */
export class Ref<T> {
  readonly #changed: boolean;

  constructor(
    readonly value: T,
    changed: boolean,
  ) {
    this.#changed = changed;
  }

  hasChanged(): boolean {
    return this.#changed;
  }
}

export function channel<T>(init: T): [Sender<T>, Receiver<T>] {
  const shared = new Shared(init);
  return [new Sender(shared), new Receiver(shared, 0)];
}

export class Sender<T> implements Disposable {
  constructor(shared: Shared<T>) {
    todo("17-broadcast-watch", "watch.Sender.constructor");
  }

  /** Stores `value` and notifies; throws `SendError` (with the value, which is not stored) if no receiver is left. */
  send(value: T): void {
    todo("17-broadcast-watch", "watch.Sender.send");
  }

  /** Stores `value` whether or not anyone listens; returns the old value. */
  sendReplace(value: T): T {
    return todo("17-broadcast-watch", "watch.Sender.sendReplace");
  }

  /** Edits the value in place (`slot.value`), then bumps the version and notifies, receivers or not. */
  sendModify(modify: (slot: Slot<T>) => void): void {
    todo("17-broadcast-watch", "watch.Sender.sendModify");
  }

  /** Like `sendModify`, but bumps the version and notifies only if `modify` returns true; returns what it returned. */
  sendIfModified(modify: (slot: Slot<T>) => boolean): boolean {
    return todo("17-broadcast-watch", "watch.Sender.sendIfModified");
  }

  /** The current value (never "changed" from the sender's side). */
  borrow(): Ref<T> {
    return todo("17-broadcast-watch", "watch.Sender.borrow");
  }

  /** A receiver that has seen the current value. */
  subscribe(): Receiver<T> {
    return todo("17-broadcast-watch", "watch.Sender.subscribe");
  }

  receiverCount(): number {
    return todo("17-broadcast-watch", "watch.Sender.receiverCount");
  }

  senderCount(): number {
    return todo("17-broadcast-watch", "watch.Sender.senderCount");
  }

  isClosed(): boolean {
    return todo("17-broadcast-watch", "watch.Sender.isClosed");
  }

  /** Completes once no receiver is left (waits on `notifyTx`, asking before checking; spends budget per poll). */
  closed(): Future<void> {
    return todo("17-broadcast-watch", "watch.Sender.closed");
  }

  clone(): Sender<T> {
    return todo("17-broadcast-watch", "watch.Sender.clone");
  }

  sameChannel(other: Sender<T>): boolean {
    return todo("17-broadcast-watch", "watch.Sender.sameChannel");
  }

  /** The last sender gone closes the channel and wakes every receiver. */
  [Symbol.dispose](): void {
    todo("17-broadcast-watch", "watch.Sender[Symbol.dispose]");
  }
}

export class Receiver<T> implements Disposable {
  /** A receiver that has seen `version`. */
  constructor(shared: Shared<T>, version: number) {
    todo("17-broadcast-watch", "watch.Receiver.constructor");
  }

  /** The value; does not mark it seen. */
  borrow(): Ref<T> {
    return todo("17-broadcast-watch", "watch.Receiver.borrow");
  }

  /** The value, marked seen. */
  borrowAndUpdate(): Ref<T> {
    return todo("17-broadcast-watch", "watch.Receiver.borrowAndUpdate");
  }

  /** Whether there is a value this receiver has not seen; throws `RecvError` once the channel is closed. */
  hasChanged(): boolean {
    return todo("17-broadcast-watch", "watch.Receiver.hasChanged");
  }

  /** Makes the current value count as unseen. */
  markChanged(): void {
    todo("17-broadcast-watch", "watch.Receiver.markChanged");
  }

  /** Makes the current value count as seen. */
  markUnchanged(): void {
    todo("17-broadcast-watch", "watch.Receiver.markUnchanged");
  }

  /**
   * Completes when there is an unseen value (and marks it seen); throws `RecvError` if closed with none. Each poll
   * spends a unit of budget (given back when `Pending`); polled after it completed, it throws
   * "`Changed` polled after completion".
   */
  changed(): Future<void> {
    return todo("17-broadcast-watch", "watch.Receiver.changed");
  }

  /**
   * One step of `changed()` (Tokio's `maybe_changed`): true (and the version marked seen) if there is an unseen
   * value; throws `RecvError` if closed; false otherwise.
   */
  maybeChanged(): boolean {
    return todo("17-broadcast-watch", "watch.Receiver.maybeChanged");
  }

  /** The notification `changed()` waits on: `notifyRx.notified()`. */
  notified(): Notified {
    return todo("17-broadcast-watch", "watch.Receiver.notified");
  }

  clone(): Receiver<T> {
    return todo("17-broadcast-watch", "watch.Receiver.clone");
  }

  sameChannel(other: Receiver<T>): boolean {
    return todo("17-broadcast-watch", "watch.Receiver.sameChannel");
  }

  /** The last receiver gone wakes the senders' `closed()`. */
  [Symbol.dispose](): void {
    todo("17-broadcast-watch", "watch.Receiver[Symbol.dispose]");
  }
}
