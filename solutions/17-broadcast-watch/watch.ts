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
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { pollProceed, restore } from "#kata/14-blocking";
import { Notify, type Notified } from "./notify.ts";

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
  /** Version (steps of 2) | CLOSED_BIT. */
  state = 0;
  refCountRx = 1;
  refCountTx = 1;
  readonly notifyRx = new Notify();
  readonly notifyTx = new Notify();

  constructor(public value: T) {}

  // Arithmetic rather than bit operators: JavaScript's are 32-bit, and the version must not wrap at 2^31.
  get version(): number {
    return this.state - (this.state % STEP_SIZE);
  }

  get isClosed(): boolean {
    return this.state % STEP_SIZE === CLOSED_BIT;
  }

  setClosed(): void {
    if (!this.isClosed) this.state += CLOSED_BIT;
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
  #shared: Shared<T> | null;

  constructor(shared: Shared<T>) {
    this.#shared = shared;
  }

  /** Stores `value` and notifies; throws `SendError` (with the value) if no receiver is left. */
  send(value: T): void {
    if (this.#live().refCountRx === 0) throw new SendError(value);
    this.sendReplace(value);
  }

  /** Stores `value` whether or not anyone listens; returns the old value. */
  sendReplace(value: T): T {
    let old = value;
    this.sendModify((slot) => {
      old = slot.value;
      slot.value = value;
    });
    return old;
  }

  /** Edits the value in place (`slot.value`), then bumps the version and notifies, receivers or not. */
  sendModify(modify: (slot: Slot<T>) => void): void {
    this.sendIfModified((slot) => {
      modify(slot);
      return true;
    });
  }

  /** Like `sendModify`, but notifies only if `modify` returns true; returns what it returned. */
  sendIfModified(modify: (slot: Slot<T>) => boolean): boolean {
    const shared = this.#live();
    if (!modify(shared)) return false;
    shared.state += STEP_SIZE;
    shared.notifyRx.notifyWaiters();
    return true;
  }

  /** The current value (never "changed" from the sender's side). */
  borrow(): Ref<T> {
    return new Ref(this.#live().value, false);
  }

  /** A receiver that has seen the current value. */
  subscribe(): Receiver<T> {
    const shared = this.#live();
    shared.refCountRx++;
    return new Receiver(shared, shared.version);
  }

  receiverCount(): number {
    return this.#live().refCountRx;
  }

  senderCount(): number {
    return this.#live().refCountTx;
  }

  isClosed(): boolean {
    return this.receiverCount() === 0;
  }

  /** Completes once no receiver is left. */
  closed(): Future<void> {
    return new SenderClosed(this.#live());
  }

  clone(): Sender<T> {
    const shared = this.#live();
    shared.refCountTx++;
    return new Sender(shared);
  }

  sameChannel(other: Sender<T>): boolean {
    return this.#live() === other.#live();
  }

  /** The last sender gone closes the channel and wakes every receiver. */
  [Symbol.dispose](): void {
    const shared = this.#shared;
    if (shared === null) return;
    this.#shared = null;
    if (--shared.refCountTx === 0) {
      shared.setClosed();
      shared.notifyRx.notifyWaiters();
    }
  }

  #live(): Shared<T> {
    if (this.#shared === null) throw new Error("watch Sender used after it was dropped");
    return this.#shared;
  }
}

class SenderClosed extends FutureBase<void> {
  #notified: Notified | null = null;

  constructor(readonly shared: Shared<unknown>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    for (;;) {
      if (this.shared.refCountRx === 0) return this.#done();
      if (this.#notified === null) {
        this.#notified = this.shared.notifyTx.notified();
        if (this.shared.refCountRx === 0) return this.#done();
      }
      if (this.#notified.poll(cx) === Pending) {
        restore(coop);
        return Pending;
      }
      this.#notified = null;
    }
  }

  #done(): void {
    this[Symbol.dispose]();
  }

  [Symbol.dispose](): void {
    this.#notified?.[Symbol.dispose]();
    this.#notified = null;
  }
}

export class Receiver<T> implements Disposable {
  #shared: Shared<T> | null;
  /** The last version this receiver has seen. */
  #version: number;

  constructor(shared: Shared<T>, version: number) {
    this.#shared = shared;
    this.#version = version;
  }

  /** The value; does not mark it seen. */
  borrow(): Ref<T> {
    const shared = this.#live();
    return new Ref(shared.value, shared.version !== this.#version);
  }

  /** The value, marked seen. */
  borrowAndUpdate(): Ref<T> {
    const shared = this.#live();
    const changed = shared.version !== this.#version;
    this.#version = shared.version;
    return new Ref(shared.value, changed);
  }

  /** Whether there is a value this receiver has not seen; throws `RecvError` once the channel is closed. */
  hasChanged(): boolean {
    const shared = this.#live();
    if (shared.isClosed) throw new RecvError();
    return shared.version !== this.#version;
  }

  /** Makes the current value count as unseen. */
  markChanged(): void {
    this.#live();
    this.#version -= STEP_SIZE;
  }

  /** Makes the current value count as seen. */
  markUnchanged(): void {
    this.#version = this.#live().version;
  }

  /** Completes when there is an unseen value (and marks it seen); throws `RecvError` if closed with none. */
  changed(): Future<void> {
    return new Changed(this);
  }

  /**
   * One step of `changed()` (Tokio's `maybe_changed`): true (and the version marked seen) if there is an unseen
   * value; throws `RecvError` if closed; false otherwise.
   */
  maybeChanged(): boolean {
    const shared = this.#live();
    const version = shared.version;
    if (version !== this.#version) {
      this.#version = version;
      return true;
    }
    if (shared.isClosed) throw new RecvError();
    return false;
  }

  /** @internal the notification `changed()` waits on. */
  notified(): Notified {
    return this.#live().notifyRx.notified();
  }

  clone(): Receiver<T> {
    const shared = this.#live();
    shared.refCountRx++;
    return new Receiver(shared, this.#version);
  }

  sameChannel(other: Receiver<T>): boolean {
    return this.#live() === other.#live();
  }

  /** The last receiver gone wakes the senders' `closed()`. */
  [Symbol.dispose](): void {
    const shared = this.#shared;
    if (shared === null) return;
    this.#shared = null;
    if (--shared.refCountRx === 0) shared.notifyTx.notifyWaiters();
  }

  #live(): Shared<T> {
    if (this.#shared === null) throw new Error("watch Receiver used after it was dropped");
    return this.#shared;
  }
}

/** `Receiver.changed()`: loop { notified = ...; if changed → done; wait for notified }. */
class Changed<T> extends FutureBase<void> {
  #notified: Notified | null = null;
  #done = false;

  constructor(readonly receiver: Receiver<T>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    if (this.#done) throw new Error("`Changed` polled after completion");
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    for (;;) {
      if (this.#notified === null) {
        this.#notified = this.receiver.notified();
        let changed: boolean;
        try {
          changed = this.receiver.maybeChanged();
        } catch (e) {
          this.#finish();
          throw e;
        }
        if (changed) {
          this.#finish();
          return undefined;
        }
      }
      if (this.#notified.poll(cx) === Pending) {
        restore(coop);
        return Pending;
      }
      this.#notified = null;
    }
  }

  #finish(): void {
    this.#done = true;
    this[Symbol.dispose]();
  }

  [Symbol.dispose](): void {
    this.#notified?.[Symbol.dispose]();
    this.#notified = null;
  }
}
