/**
 * `TimeSource` (Tokio's `runtime/time/source.rs`): converts the clock's instants to the wheel's ticks.
 *
 * A tick is one millisecond counted from the moment the time driver was created. A deadline converts rounding
 * up (Tokio adds 999,999 ns), so that a timer never fires before its deadline; `now` converts rounding down.
 * Ticks are clamped to `[0, MAX_SAFE_MILLIS_DURATION]`. Durations are milliseconds throughout, so a tick
 * difference is already a duration (Tokio's `tick_to_duration` is the identity here).
 */
import { MAX_SAFE_MILLIS_DURATION } from "#kata/12-timer-wheel";
import type { Clock } from "./clock.ts";

/** One nanosecond, in ms: Tokio adds 999,999 ns and rounds down, so a fraction of 1 ns or more rounds up. */
const ONE_NS_MS = 0.000_001;

export class TimeSource {
  /** The clock's reading when the driver started: tick 0. */
  readonly startTime: number;

  constructor(clock: Clock) {
    this.startTime = clock.now();
  }

  /**
   * The first tick at or after instant `t`. Tokio adds 999,999 ns and rounds down; adding 0.999999 to a double
   * as large as 2^33 would round it up to the next integer, so the fraction is compared with 1 ns instead.
   */
  deadlineToTick(t: number): number {
    const ms = t - this.startTime;
    const whole = Math.floor(ms);
    return clamp(ms - whole >= ONE_NS_MS ? whole + 1 : whole);
  }

  /** The tick in which instant `t` falls. */
  instantToTick(t: number): number {
    return clamp(Math.floor(t - this.startTime));
  }

  /** The current tick of `clock`. */
  now(clock: Clock): number {
    return this.instantToTick(clock.now());
  }
}

function clamp(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_SAFE_MILLIS_DURATION);
}
