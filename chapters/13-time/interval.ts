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
 *
 * Task 6 of the lesson. `MissedTickBehavior` and the threshold are given.
 */
import type { Future, Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import type { TimeHandle } from "./handle.ts";

export const MissedTickBehavior = { Burst: "Burst", Delay: "Delay", Skip: "Skip" } as const;
export type MissedTickBehavior = (typeof MissedTickBehavior)[keyof typeof MissedTickBehavior];

/** A tick observed later than this after its scheduled instant counts as missed. */
export const MISSED_TICK_THRESHOLD_MS = 5;

/** The instant of the tick after a missed one scheduled at `timeout`, observed at `now`. */
export function nextTimeout(behavior: MissedTickBehavior, timeout: number, now: number, period: number): number {
  return todo("13-time", "nextTimeout");
}

export class Interval {
  // Sketch: the time handle, the delay (a `Sleep`), the period, the missed-tick behaviour (Burst at first).

  /** Ticks every `period` ms from instant `start`; throws RangeError("`period` must be non-zero.") unless period > 0. */
  constructor(handle: TimeHandle, start: number, period: number) {
    todo("13-time", "Interval.constructor");
  }

  /** Completes at the next tick with the instant it was scheduled for. */
  tick(): Future<number> {
    return todo("13-time", "Interval.tick");
  }

  pollTick(cx: Context): Poll<number> {
    return todo("13-time", "Interval.pollTick");
  }

  /** The next tick one period from now. */
  reset(): void {
    todo("13-time", "Interval.reset");
  }

  /** The next tick now. */
  resetImmediately(): void {
    todo("13-time", "Interval.resetImmediately");
  }

  /** The next tick `ms` from now. */
  resetAfter(ms: number): void {
    todo("13-time", "Interval.resetAfter");
  }

  /** The next tick at instant `deadline`. */
  resetAt(deadline: number): void {
    todo("13-time", "Interval.resetAt");
  }

  missedTickBehavior(): MissedTickBehavior {
    return todo("13-time", "Interval.missedTickBehavior");
  }

  setMissedTickBehavior(behavior: MissedTickBehavior): void {
    todo("13-time", "Interval.setMissedTickBehavior");
  }

  period(): number {
    return todo("13-time", "Interval.period");
  }

  [Symbol.dispose](): void {
    todo("13-time", "Interval[Symbol.dispose]");
  }
}

/** Ticks every `period` ms, the first tick at once (`tokio::time::interval`). */
export function interval(period: number): Interval {
  return todo("13-time", "interval");
}

/** Ticks every `period` ms, the first tick at instant `start` (`tokio::time::interval_at`). */
export function intervalAt(start: number, period: number): Interval {
  return todo("13-time", "intervalAt");
}
