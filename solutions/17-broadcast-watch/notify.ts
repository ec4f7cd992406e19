/**
 * `Notify` (Tokio's `sync/notify.rs`): wake one task, or every waiting task, with no data attached.
 *
 *     const notify = new Notify();
 *     yield* notify.notified();      // in one task: wait
 *     notify.notifyOne();            // in another: wake it (or leave a permit if nobody waits)
 *
 * State: `EMPTY`, `WAITING` (the list has waiters) or `NOTIFIED` (a stored permit), plus a counter of
 * `notifyWaiters` calls. Tokio packs both into one atomic word (the counter shifted left by 2) so one
 * compare-and-swap sees both; here they are two fields.
 *
 * - `notifyOne()`: with waiters, wakes the oldest (`notifyLast()`: the newest) and marks it notified; with none,
 *   stores a permit. Permits do not add up: many calls leave one, and the next `notified()` consumes it at once.
 * - `notifyWaiters()`: wakes every waiter registered *now* and stores no permit. A `Notified` future takes a
 *   snapshot of the counter when it is created (not when first polled): if `notifyWaiters` runs in between, its
 *   first poll completes at once. A future created after the call waits for the next one.
 * - A `Notified` that was chosen by `notifyOne` and is dropped before it sees the notification passes it on (to
 *   the next waiter, or as the stored permit), so no notification is lost to a cancelled waiter.
 * - `enable()` registers the future in the list without a waker, so it can be notified before it is first polled.
 * - Notified futures spend no cooperative budget (Tokio's do not either).
 *
 * Invariants: the state is `WAITING` exactly when the list is not empty; a waiter is in the list exactly while its
 * future is in the `waiting` state without a notification; a future completes at most once per notification.
 */
import type { Context, Waker, WakerRef } from "#kata/03-waker";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { LinkedList } from "./linked-list.ts";

const EMPTY = 0;
const WAITING = 1;
const NOTIFIED = 2;

/** What a waiter was woken by (Tokio's `Notification`). */
const NOTIFICATION_NONE = 0;
const NOTIFICATION_ONE = 1;
const NOTIFICATION_LAST = 2;
const NOTIFICATION_ALL = 3;
type OneStrategy = typeof NOTIFICATION_ONE | typeof NOTIFICATION_LAST;

export class Notify {
  #state: number = EMPTY;
  #notifyWaitersCalls = 0;
  readonly #waiters = new LinkedList<Notified>();

  /** A future that completes when notified. The `notifyWaiters` counter is read now. */
  notified(): Notified {
    return new Notified(this, this.#notifyWaitersCalls);
  }

  /** Wakes the oldest waiter, or stores one permit if there is none. */
  notifyOne(): void {
    this.#notify(NOTIFICATION_ONE);
  }

  /** Wakes the newest waiter, or stores one permit if there is none. */
  notifyLast(): void {
    this.#notify(NOTIFICATION_LAST);
  }

  /** Wakes every waiter registered now; stores no permit. */
  notifyWaiters(): void {
    this.#notifyWaitersCalls = (this.#notifyWaitersCalls + 1) >>> 0;
    if (this.#state !== WAITING) return;
    this.#state = EMPTY;
    // Only those waiting now: take them all out first, so a waiter that registers again while being woken waits
    // for the next call.
    const woken = this.#waiters.take();
    const wakers: Waker[] = [];
    for (let w = woken.popBack(); w !== null; w = woken.popBack()) {
      w.notification = NOTIFICATION_ALL;
      const waker = w.takeWaker();
      if (waker !== null) wakers.push(waker);
    }
    for (const waker of wakers) waker.wake();
  }

  /** Tokio's `notify_locked`: notify one waiter, or store the permit. */
  #notify(strategy: OneStrategy): void {
    if (this.#state !== WAITING) {
      this.#state = NOTIFIED;
      return;
    }
    const waiter = strategy === NOTIFICATION_ONE ? this.#waiters.popBack()! : this.#waiters.popFront()!;
    waiter.notification = strategy;
    if (this.#waiters.isEmpty()) this.#state = EMPTY;
    waiter.takeWaker()?.wake();
  }

  // The parts of `Notified` that touch the list and the state (Tokio's `poll_notified` and `drop_notified`).

  /** Init state: true if a notification is already here; else queue `node` and return false. */
  pollInit(node: Notified, waker: WakerRef | null): boolean {
    if (this.#notifyWaitersCalls !== node.notifyWaitersCalls) return true;
    if (this.#state === NOTIFIED) {
      this.#state = EMPTY;
      return true;
    }
    this.#state = WAITING;
    node.waker = waker?.clone() ?? null;
    this.#waiters.pushFront(node);
    return false;
  }

  /** A waiting node is dropped: leave the list; pass a `notifyOne` it had received on. */
  dropWaiting(node: Notified): void {
    this.#waiters.remove(node);
    if (this.#waiters.isEmpty() && this.#state === WAITING) this.#state = EMPTY;
    const n = node.notification;
    if (n === NOTIFICATION_ONE || n === NOTIFICATION_LAST) this.#notify(n);
  }
}

const INIT = 0;
const WAITING_STATE = 1;
const DONE = 2;

/** The future of `Notify.notified()`; also its node in the waiter list. */
export class Notified extends FutureBase<void> {
  prev: Notified | null = null;
  next: Notified | null = null;
  waker: Waker | null = null;
  notification = NOTIFICATION_NONE;
  #state = INIT;

  constructor(
    readonly notify: Notify,
    /** The `notifyWaiters` counter when this future was created. */
    readonly notifyWaitersCalls: number,
  ) {
    super();
  }

  poll(cx: Context): Poll<void> {
    return this.#pollNotified(cx.waker) ? undefined : Pending;
  }

  /**
   * Registers as a waiter without a waker (so a `notifyOne` can pick this future before its first poll); true if
   * it is already notified.
   */
  enable(): boolean {
    return this.#pollNotified(null);
  }

  #pollNotified(waker: WakerRef | null): boolean {
    switch (this.#state) {
      case INIT:
        if (this.notify.pollInit(this, waker)) {
          this.#state = DONE;
          return true;
        }
        this.#state = WAITING_STATE;
        return false;
      case WAITING_STATE:
        if (this.notification !== NOTIFICATION_NONE) {
          this.takeWaker()?.drop();
          this.notification = NOTIFICATION_NONE;
          this.#state = DONE;
          return true;
        }
        if (waker !== null && (this.waker === null || !this.waker.willWake(waker))) {
          const old = this.waker;
          this.waker = waker.clone();
          old?.drop();
        }
        return false;
      default:
        return true;
    }
  }

  takeWaker(): Waker | null {
    const w = this.waker;
    this.waker = null;
    return w;
  }

  [Symbol.dispose](): void {
    if (this.#state === WAITING_STATE) this.notify.dropWaiting(this);
    this.#state = DONE;
    this.takeWaker()?.drop();
  }
}
