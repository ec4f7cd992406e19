/**
 * `Notify` (Tokio's `sync/notify.rs`): wake one task, or every waiting task, with no data attached.
 *
 *     const notify = new Notify();
 *     yield* notify.notified();      // in one task: wait
 *     notify.notifyOne();            // in another: wake it (or leave a permit if nobody waits)
 *
 * State: `EMPTY`, `WAITING` (the list has waiters) or `NOTIFIED` (a stored permit), plus a counter of
 * `notifyWaiters` calls. Tokio packs both into one atomic word (the counter shifted left by 2) so one
 * compare-and-swap sees both; here they can be two fields.
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
 *
 * Given: the states and notification kinds (the constants below), the `Notified` node fields.
 */
import type { Context, Waker, WakerRef } from "#kata/03-waker";
import { FutureBase, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

const EMPTY = 0;
const WAITING = 1;
const NOTIFIED = 2;

/** What a waiter was woken by (Tokio's `Notification`): stored in `Notified.notification`. */
const NOTIFICATION_NONE = 0;
const NOTIFICATION_ONE = 1;
const NOTIFICATION_LAST = 2;
const NOTIFICATION_ALL = 3;

export class Notify {
  // Sketch: the state (EMPTY, WAITING, NOTIFIED), the `notifyWaiters` counter, and a `LinkedList<Notified>`
  // (./linked-list.ts) of waiters, pushed at the front; the oldest is at the back.

  /** A future that completes when notified. The `notifyWaiters` counter is read now. */
  notified(): Notified {
    return todo("17-broadcast-watch", "Notify.notified");
  }

  /** Wakes the oldest waiter (unlinked first, marked `NOTIFICATION_ONE`), or stores one permit if there is none. */
  notifyOne(): void {
    todo("17-broadcast-watch", "Notify.notifyOne");
  }

  /** Wakes the newest waiter (marked `NOTIFICATION_LAST`), or stores one permit if there is none. */
  notifyLast(): void {
    todo("17-broadcast-watch", "Notify.notifyLast");
  }

  /**
   * Bumps the counter; wakes every waiter registered now (all unlinked and marked `NOTIFICATION_ALL` before the
   * first wake, so one that registers again while woken waits for the next call); stores no permit.
   */
  notifyWaiters(): void {
    todo("17-broadcast-watch", "Notify.notifyWaiters");
  }

  /**
   * A `Notified` in its initial state is polled (or enabled): true if a notification is already here (the counter
   * moved since its snapshot, checked first; or a stored permit, which is consumed); else queue `node` with a clone
   * of `waker` (none for `enable`) and return false.
   */
  pollInit(node: Notified, waker: WakerRef | null): boolean {
    return todo("17-broadcast-watch", "Notify.pollInit");
  }

  /** A waiting node is dropped: leave the list (EMPTY if it empties); pass a `notifyOne`/`notifyLast` it had on. */
  dropWaiting(node: Notified): void {
    todo("17-broadcast-watch", "Notify.dropWaiting");
  }
}

/** The future of `Notify.notified()`; also its node in the waiter list. */
export class Notified extends FutureBase<void> {
  prev: Notified | null = null;
  next: Notified | null = null;
  waker: Waker | null = null;
  /** `NOTIFICATION_NONE` until a notify picks this waiter. */
  notification = NOTIFICATION_NONE;

  constructor(
    readonly notify: Notify,
    /** The `notifyWaiters` counter when this future was created. */
    readonly notifyWaitersCalls: number,
  ) {
    super();
  }

  /**
   * Initial state: `notify.pollInit`. Waiting: ready if a notification arrived (drop the stored waker); else keep
   * the waker up to date (clone only if the stored one would not wake the same task) and stay `Pending`. Done:
   * ready, every time.
   */
  poll(cx: Context): Poll<void> {
    return todo("17-broadcast-watch", "Notified.poll");
  }

  /**
   * Registers as a waiter without a waker (so a `notifyOne` can pick this future before its first poll); true if
   * it is already notified.
   */
  enable(): boolean {
    return todo("17-broadcast-watch", "Notified.enable");
  }

  takeWaker(): Waker | null {
    return todo("17-broadcast-watch", "Notified.takeWaker");
  }

  /** Dropped: a waiting future leaves the list (`notify.dropWaiting`); the stored waker is dropped. */
  [Symbol.dispose](): void {
    todo("17-broadcast-watch", "Notified[Symbol.dispose]");
  }
}
