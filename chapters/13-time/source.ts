/**
 * `TimeSource` (Tokio's `runtime/time/source.rs`): converts the clock's instants to the wheel's ticks.
 *
 * A tick is one millisecond counted from the moment the time driver was created. A deadline converts rounding
 * up (Tokio adds 999,999 ns), so that a timer never fires before its deadline; `now` converts rounding down.
 * Ticks are clamped to `[0, MAX_SAFE_MILLIS_DURATION]`. Durations are milliseconds throughout, so a tick
 * difference is already a duration (Tokio's `tick_to_duration` is the identity here).
 *
 * Task 1 of the lesson.
 */
import { todo } from "#kit/todo";
import type { Clock } from "./clock.ts";

export class TimeSource {
  /** The clock's reading when the driver started: tick 0. */
  readonly startTime: number;

  constructor(clock: Clock) {
    this.startTime = todo("13-time", "TimeSource.constructor");
  }

  /**
   * The first tick at or after instant `t`: Tokio adds 999,999 ns and rounds down, so a fraction of a millisecond
   * of 1 ns (0.000001 ms) or more rounds up. Mind doubles above 2^33: adding 0.999999 to them rounds to the next
   * integer.
   */
  deadlineToTick(t: number): number {
    return todo("13-time", "TimeSource.deadlineToTick");
  }

  /** The tick in which instant `t` falls. */
  instantToTick(t: number): number {
    return todo("13-time", "TimeSource.instantToTick");
  }

  /** The current tick of `clock`. */
  now(clock: Clock): number {
    return todo("13-time", "TimeSource.now");
  }
}
