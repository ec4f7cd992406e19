/**
 * `TimerShared` (Tokio's `runtime/time/entry.rs`): one timer as the wheel sees it.
 *
 * The entry is intrusive: it carries the links of the one list it sits in (a slot of a level, or the wheel's
 * pending list), so the wheel can unlink it in O(1) without searching. Two numbers describe it:
 * - `state`: the true deadline tick; or `STATE_PENDING_FIRE` once the wheel has found it due and queued it on its
 *   pending list; or `STATE_DEREGISTERED` when it is not in the wheel at all (never registered, fired, cancelled);
 * - `registeredWhen`: the tick under which the wheel filed it, which is how the wheel finds its slot again; or
 *   `STATE_DEREGISTERED` while it waits on the pending list.
 * The two differ only after a lazy extension: `extendExpiration` moves `state` later without touching the wheel,
 * and the wheel re-files the entry when its old slot comes due (`markPending` refuses, the wheel re-inserts).
 *
 * Invariants: `registeredWhen <= state` while the entry is filed in a level; the waker slot follows the workbook's
 * stored-waker rule: replaced only when the new waker would wake another task, and the replaced one dropped.
 *
 * Tokio's sentinels are `u64::MAX` and `u64::MAX - 1`, above every tick, so that "is it due?" comparisons reject
 * them for free. Here they are -1 and -2 and each comparison checks for them: V8 keeps a number field unboxed
 * only while it holds small integers, and a million timers each carrying a boxed `2^53 - 1` cost a third more.
 *
 * Task 2 of the lesson (with `linked-list.ts`). The fields are given; add a private field for the stored waker.
 */
import type { Waker, WakerRef } from "#kata/03-waker";
import { todo } from "#kit/todo";

/** Not in the wheel (Tokio: `u64::MAX`). */
export const STATE_DEREGISTERED = -1;
/** Found due by the wheel and queued on its pending list; fires on the driver's next `poll` (Tokio: `u64::MAX - 1`). */
export const STATE_PENDING_FIRE = -2;
/** The largest deadline tick an entry can hold: the largest integer a double represents exactly. */
export const MAX_SAFE_MILLIS_DURATION = Number.MAX_SAFE_INTEGER;

export class TimerShared {
  /** Links of the intrusive list holding the entry (null at the ends, and when in no list). */
  prev: TimerShared | null = null;
  next: TimerShared | null = null;
  /** The tick the wheel filed the entry under, or `STATE_DEREGISTERED` while it is on the pending list. */
  registeredWhen = 0;
  /** The true deadline tick, `STATE_PENDING_FIRE` or `STATE_DEREGISTERED`. */
  state = STATE_DEREGISTERED;

  /** The deadline tick, or `undefined` when deregistered (pending entries report `STATE_PENDING_FIRE`). */
  when(): number | undefined {
    return todo("12-timer-wheel", "TimerShared.when");
  }

  /** The deadline tick; throws "Timer already fired" when the entry is deregistered. */
  trueWhen(): number {
    return todo("12-timer-wheel", "TimerShared.trueWhen");
  }

  /** Files the entry under its true deadline (what `Wheel.insert` does first) and returns that tick. */
  syncWhen(): number {
    return todo("12-timer-wheel", "TimerShared.syncWhen");
  }

  /** Sets a new deadline: both the state and the filing tick (the entry must not be in the wheel). */
  setExpiration(tick: number): void {
    todo("12-timer-wheel", "TimerShared.setExpiration");
  }

  /**
   * Moves the deadline later without touching the wheel (a lazy reset). Refused (false) when `tick` is earlier
   * than the current deadline or the entry is pending or deregistered: then the caller must re-register it.
   */
  extendExpiration(tick: number): boolean {
    return todo("12-timer-wheel", "TimerShared.extendExpiration");
  }

  /**
   * Called by the wheel on an entry of a slot that has come due at `notAfter`. If its deadline is not after
   * `notAfter`, marks it pending (true; `registeredWhen` becomes `STATE_DEREGISTERED`: it now lives on the
   * pending list). Otherwise (it was extended, or it sits a whole wheel rotation early) files it under its true
   * deadline and returns false: the wheel must re-insert it. Throws (Tokio's panic message) on a pending or
   * deregistered entry.
   */
  markPending(notAfter: number): boolean {
    return todo("12-timer-wheel", "TimerShared.markPending");
  }

  isPending(): boolean {
    return todo("12-timer-wheel", "TimerShared.isPending");
  }

  /** True unless the entry is deregistered: it may be in the wheel (a slot or the pending list). */
  mightBeRegistered(): boolean {
    return todo("12-timer-wheel", "TimerShared.mightBeRegistered");
  }

  /**
   * True when the timer has fired (or was never registered). Otherwise stores `waker` (a clone, unless the
   * stored one would wake the same task) and returns false.
   */
  poll(waker: WakerRef): boolean {
    return todo("12-timer-wheel", "TimerShared.poll");
  }

  /** Deregisters the entry and hands back its waker for the caller to wake (or drop). Null if already fired. */
  fire(): Waker | null {
    return todo("12-timer-wheel", "TimerShared.fire");
  }
}
