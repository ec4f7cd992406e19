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

/** Tokio's 999,999 ns: a deadline anywhere inside a millisecond belongs to the next tick. */
const ROUND_UP_MS = 0.999_999;

export class TimeSource {
  /** The clock's reading when the driver started: tick 0. */
  readonly startTime: number;

  constructor(clock: Clock) {
    this.startTime = clock.now();
  }

  /** The first tick at or after instant `t`. */
  deadlineToTick(t: number): number {
    return this.instantToTick(t + ROUND_UP_MS);
  }

  /** The tick in which instant `t` falls. */
  instantToTick(t: number): number {
    const ms = Math.floor(t - this.startTime);
    if (!(ms > 0)) return 0;
    return Math.min(ms, MAX_SAFE_MILLIS_DURATION);
  }

  /** The current tick of `clock`. */
  now(clock: Clock): number {
    return this.instantToTick(clock.now());
  }
}
