/**
 * `Sleep` (Tokio's `time/sleep.rs`, with the entry of `runtime/time/entry.rs`): a future that completes at a
 * deadline.
 *
 *     sleep(ms)              deadline = now() + ms (an unrepresentable one becomes ~30 years away)
 *     sleepUntil(deadline)   an instant on the runtime's clock, in ms
 *
 * The runtime's time handle is looked up when the sleep is created (so `sleep` throws outside a runtime, or when
 * time is disabled), but nothing is registered until the first poll: a sleep that is never polled costs the wheel
 * nothing. Each poll spends one unit of the task's budget, and gives it back unless the sleep completes.
 * `reset(deadline)` moves the deadline (a later one lazily, without touching the wheel); `[Symbol.dispose]()`
 * removes the timer from the wheel. A completed sleep stays completed until reset.
 *
 * Invariants: the sleep holds at most one wheel entry; it never completes before the tick of its deadline
 * (deadlines round up to the next millisecond).
 */
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { TimerShared } from "#kata/12-timer-wheel";
import { pollProceed, restore } from "#kata/14-blocking";
import type { Clock } from "./clock.ts";
import { RUNTIME_SHUTTING_DOWN_ERROR } from "./error.ts";
import { TimeHandle } from "./handle.ts";

/** How far away a deadline that cannot be represented is put (Tokio's `Instant::far_future`: about 30 years). */
export const FAR_FUTURE_MS = 30 * 365 * 86_400_000;

/**
 * An instant as a deadline: a RangeError for NaN; an instant that is not finite becomes about 30 years from
 * `clock.now()` (Tokio's `checked_add(..).unwrap_or(far_future)`).
 */
export function toDeadline(instant: number, clock: Clock): number {
  if (Number.isNaN(instant)) throw new RangeError("a deadline must be an instant in ms, got NaN");
  return Number.isFinite(instant) ? instant : clock.now() + FAR_FUTURE_MS;
}

/** Throws a RangeError unless `ms` is a duration: a number >= 0 (Infinity allowed). */
export function checkDuration(ms: number, what: string): void {
  if (!(ms >= 0)) throw new RangeError(`${what} must be a duration in ms >= 0, got ${ms}`);
}

export class Sleep extends FutureBase<void> {
  readonly #handle: TimeHandle;
  #deadline: number;
  /** The wheel entry, created on the first poll (or reset) and removed on dispose. */
  #entry: TimerShared | null = null;

  constructor(handle: TimeHandle, deadline: number) {
    super();
    this.#handle = handle;
    this.#deadline = toDeadline(deadline, handle.clock);
  }

  /** The instant at which the sleep completes. */
  deadline(): number {
    return this.#deadline;
  }

  /** True once the timer has fired (false before the first poll registers it). */
  isElapsed(): boolean {
    return this.#entry !== null && !this.#entry.mightBeRegistered();
  }

  /** Moves the deadline, registering the timer now if it was not yet (a completed sleep becomes pending again). */
  reset(deadline: number): void {
    this.#deadline = toDeadline(deadline, this.#handle.clock);
    const tick = this.#handle.timeSource.deadlineToTick(this.#deadline);
    const entry = this.#entry;
    if (entry !== null && entry.extendExpiration(tick)) return;
    this.#register(tick);
  }

  /** Moves the deadline and drops the timer: it registers again on the next poll (used by `Interval`). */
  resetWithoutTimer(deadline: number): void {
    this.#deadline = deadline;
    this[Symbol.dispose]();
  }

  poll(cx: Context): Poll<void> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    if (this.#entry === null) this.#register(this.#handle.timeSource.deadlineToTick(this.#deadline));
    if (this.#handle.isShutdown()) throw new Error(RUNTIME_SHUTTING_DOWN_ERROR);
    if (this.#entry!.poll(cx.waker)) return undefined;
    restore(coop);
    return Pending;
  }

  /** Removes the timer from the wheel. */
  [Symbol.dispose](): void {
    const entry = this.#entry;
    if (entry === null) return;
    this.#entry = null;
    this.#handle.clearEntry(entry);
  }

  #register(tick: number): void {
    const entry = (this.#entry ??= new TimerShared());
    this.#handle.reregister(tick, entry);
  }
}

/** A sleep of `ms` milliseconds on the current runtime's clock (`tokio::time::sleep`). */
export function sleep(ms: number): Sleep {
  checkDuration(ms, "sleep");
  const handle = TimeHandle.current();
  return new Sleep(handle, handle.clock.now() + ms);
}

/** A sleep until `deadline`, an instant on the current runtime's clock (`tokio::time::sleep_until`). */
export function sleepUntil(deadline: number): Sleep {
  return new Sleep(TimeHandle.current(), deadline);
}
