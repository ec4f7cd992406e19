/**
 * `Interval` (Tokio's `time/interval.rs`): ticks at a fixed period.
 *
 * The first tick completes at the start instant (immediately for `interval(period)`); each `tick()` returns the
 * instant the tick was scheduled for, not the time it was observed. A tick observed more than 5 ms after its
 * scheduled instant counts as missed, and the next one is scheduled by the `MissedTickBehavior`:
 *
 *     Burst  next = scheduled + period            catch up: missed ticks fire back to back
 *     Delay  next = now + period                  start afresh from now
 *     Skip   next = now + period - ((now - scheduled) % period)   the next multiple of the period after now
 *
 * otherwise next = scheduled + period. `tick()` is cancel-safe: dropping its future loses no tick.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { TimeHandle } from "./handle.ts";
import { Sleep, toDeadline } from "./sleep.ts";

export const MissedTickBehavior = { Burst: "Burst", Delay: "Delay", Skip: "Skip" } as const;
export type MissedTickBehavior = (typeof MissedTickBehavior)[keyof typeof MissedTickBehavior];

/** A tick observed later than this after its scheduled instant counts as missed. */
export const MISSED_TICK_THRESHOLD_MS = 5;

/** The instant of the tick after a missed one scheduled at `timeout`, observed at `now`. */
export function nextTimeout(behavior: MissedTickBehavior, timeout: number, now: number, period: number): number {
  switch (behavior) {
    case MissedTickBehavior.Burst:
      return timeout + period;
    case MissedTickBehavior.Delay:
      return now + period;
    case MissedTickBehavior.Skip:
      return now + period - ((now - timeout) % period);
  }
}

export class Interval {
  readonly #handle: TimeHandle;
  readonly #delay: Sleep;
  readonly #period: number;
  #missedTickBehavior: MissedTickBehavior = MissedTickBehavior.Burst;

  constructor(handle: TimeHandle, start: number, period: number) {
    if (!(period > 0)) throw new RangeError("`period` must be non-zero.");
    this.#handle = handle;
    this.#delay = new Sleep(handle, start);
    this.#period = period;
  }

  /** Completes at the next tick with the instant it was scheduled for. */
  tick(): Future<number> {
    return new Tick(this);
  }

  pollTick(cx: Context): Poll<number> {
    if (this.#delay.poll(cx) === Pending) return Pending;
    const timeout = this.#delay.deadline();
    const now = this.#handle.clock.now();
    const next =
      now > timeout + MISSED_TICK_THRESHOLD_MS
        ? nextTimeout(this.#missedTickBehavior, timeout, now, this.#period)
        : toDeadline(timeout + this.#period, this.#handle.clock);
    this.#delay.resetWithoutTimer(next);
    return timeout;
  }

  /** The next tick one period from now. */
  reset(): void {
    this.#delay.reset(this.#handle.clock.now() + this.#period);
  }

  /** The next tick now. */
  resetImmediately(): void {
    this.#delay.reset(this.#handle.clock.now());
  }

  /** The next tick `ms` from now. */
  resetAfter(ms: number): void {
    this.#delay.reset(this.#handle.clock.now() + ms);
  }

  /** The next tick at instant `deadline`. */
  resetAt(deadline: number): void {
    this.#delay.reset(deadline);
  }

  missedTickBehavior(): MissedTickBehavior {
    return this.#missedTickBehavior;
  }

  setMissedTickBehavior(behavior: MissedTickBehavior): void {
    this.#missedTickBehavior = behavior;
  }

  period(): number {
    return this.#period;
  }

  [Symbol.dispose](): void {
    this.#delay[Symbol.dispose]();
  }
}

class Tick extends FutureBase<number> {
  constructor(readonly interval: Interval) {
    super();
  }

  poll(cx: Context): Poll<number> {
    return this.interval.pollTick(cx);
  }
}

/** Ticks every `period` ms, the first tick at once (`tokio::time::interval`). */
export function interval(period: number): Interval {
  const handle = TimeHandle.current();
  return new Interval(handle, handle.clock.now(), period);
}

/** Ticks every `period` ms, the first tick at instant `start` (`tokio::time::interval_at`). */
export function intervalAt(start: number, period: number): Interval {
  return new Interval(TimeHandle.current(), start, period);
}
