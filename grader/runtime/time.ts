/** `tokio::time`: sleeping, deadlines, intervals, and the paused clock of tests. Durations are milliseconds. */
export {
  Elapsed,
  Interval,
  MissedTickBehavior,
  Sleep,
  Timeout,
  advance,
  interval,
  intervalAt,
  now,
  pause,
  resume,
  sleep,
  sleepUntil,
  timeout,
  timeoutAt,
} from "#kata/13-time";
