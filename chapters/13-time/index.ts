/**
 * Chapter 13: time. The clock, the time driver, and the futures built on the timer wheel of chapter 12.
 */
export {
  ALREADY_FROZEN_ERROR,
  Clock,
  NOT_FROZEN_ERROR,
  OUTSIDE_RUNTIME_ERROR,
  PAUSE_NEEDS_CURRENT_THREAD_ERROR,
  advance,
  now,
  pause,
  resume,
  type ClockOptions,
} from "./clock.ts";
export { TimeSource } from "./source.ts";
export { TimeHandle } from "./handle.ts";
export { TimeDriver } from "./driver.ts";
export { CONTEXT_MISSING_ERROR, Elapsed, RUNTIME_SHUTTING_DOWN_ERROR, TIMERS_DISABLED_ERROR } from "./error.ts";
export { FAR_FUTURE_MS, Sleep, sleep, sleepUntil } from "./sleep.ts";
export { Timeout, timeout, timeoutAt } from "./timeout.ts";
export { Interval, MISSED_TICK_THRESHOLD_MS, MissedTickBehavior, interval, intervalAt, nextTimeout } from "./interval.ts";
