/**
 * `TaskMonitor` (tokio-metrics' `task.rs`): metrics of futures, gathered by wrapping them. No scheduler hook: the
 * wrapper sees every poll of its future, and it hands the future a waker of its own, so it also sees every wake.
 *
 *     const monitor = new TaskMonitor();
 *     spawn(monitor.instrument(handleRequest(req)));
 *     ...
 *     monitor.cumulative().meanPollDuration();       // or: const it = monitor.intervals(); it.next().value
 *
 * One poll of an `Instrumented`:
 *
 *     start = now()
 *     first poll?     firstPollCount++, totalFirstPollDelay += start - instrumentedAt
 *     woken since the last poll (wokeAt set)?  take wokeAt:
 *        idledAt < wokeAt:   an idle of wokeAt - idledAt (count, total, max, and the interval's max)
 *        always:             a scheduling delay of start - wokeAt (count, total; long if >= the long-delay
 *                            threshold, else short)
 *     register the task's waker in the wrapper's AtomicWaker; poll the inner future with the wrapper's waker
 *     end = now(); idledAt = end; the poll took end - (time the inner poll began): slow if >= the slow-poll
 *     threshold, else fast
 *
 *     the wrapper's waker, woken (by value or by reference):  wokeAt = now() unless already set; wake the task
 *
 * Invariants: only the first wake after a poll is recorded (later ones until the next poll change nothing); an idle
 * is counted only if a non-zero time passed between the end of a poll and the wake; a future is counted dropped once,
 * when it completes or when it is disposed unfinished. Both thresholds default to 50 µs.
 *
 * Where JavaScript differs: tokio-metrics stores `wokeAt` as nanoseconds since instrumentation with 0 meaning
 * "not woken", so a wake at the very instant of instrumentation is lost; a paused clock makes that instant common,
 * so here "not woken" is `null`.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import { runtimeNow, type Now } from "./clock.ts";
import type { TaskCounters, TaskMetrics } from "./task-metrics.ts";

/** 50 µs, in ms: tokio-metrics' `DEFAULT_SLOW_POLL_THRESHOLD` and `DEFAULT_LONG_DELAY_THRESHOLD`. */
export const DEFAULT_SLOW_POLL_THRESHOLD_MS = 0.05;
export const DEFAULT_LONG_DELAY_THRESHOLD_MS = 0.05;

export interface TaskMonitorOptions {
  /** A poll that takes at least this long is slow. Default 50 µs. */
  slowPollThresholdMs?: number;
  /** A wake that waits at least this long to be polled is a long delay. Default 50 µs. */
  longDelayThresholdMs?: number;
  /** The clock; default: the current runtime's (see `clock.ts`). */
  now?: Now;
}

/**
 * The counters one monitor shares with its instrumented futures (tokio-metrics' `RawMetrics`). Given: a
 * `TaskMetrics` can be made from it directly (`new TaskMetrics(raw)`), since it has every counter.
 */
class RawMetrics implements TaskCounters {
  instrumentedCount = 0;
  droppedCount = 0;
  firstPollCount = 0;
  totalFirstPollDelay = 0;
  totalIdledCount = 0;
  totalIdleDuration = 0;
  maxIdleDuration = 0;
  /** The longest idle since the last interval was taken. */
  localMaxIdleDuration = 0;
  totalScheduledCount = 0;
  totalScheduledDuration = 0;
  totalPollCount = 0;
  totalPollDuration = 0;
  totalFastPollCount = 0;
  totalFastPollDuration = 0;
  totalSlowPollCount = 0;
  totalSlowPollDuration = 0;
  totalShortDelayCount = 0;
  totalShortDelayDuration = 0;
  totalLongDelayCount = 0;
  totalLongDelayDuration = 0;

  constructor(
    readonly slowPollThresholdMs: number,
    readonly longDelayThresholdMs: number,
    readonly now: Now,
  ) {}
}

export class TaskMonitor {
  readonly #metrics: RawMetrics;

  /** Given: checks the thresholds (durations >= 0 ms) and binds the clock. */
  constructor(options: TaskMonitorOptions = {}) {
    const slow = options.slowPollThresholdMs ?? DEFAULT_SLOW_POLL_THRESHOLD_MS;
    const long = options.longDelayThresholdMs ?? DEFAULT_LONG_DELAY_THRESHOLD_MS;
    if (!(slow >= 0) || !(long >= 0)) throw new RangeError(`thresholds must be durations >= 0 ms, got ${slow} and ${long}`);
    this.#metrics = new RawMetrics(slow, long, options.now ?? runtimeNow());
  }

  slowPollThreshold(): number {
    return this.#metrics.slowPollThresholdMs;
  }

  longDelayThreshold(): number {
    return this.#metrics.longDelayThresholdMs;
  }

  /** Wraps `future`: its polls and wakes are counted by this monitor. Counts it as instrumented now. */
  instrument<T>(future: Future<T>): Instrumented<T> {
    return todo("19-capstone", "TaskMonitor.instrument");
  }

  /** Everything counted since the monitor was created. */
  cumulative(): TaskMetrics {
    return todo("19-capstone", "TaskMonitor.cumulative");
  }

  /**
   * An endless iterator of samples: the first holds what was counted since the monitor was created, each next one
   * what was counted since the one before, with the longest idle that ended in between (tokio-metrics'
   * `TaskIntervals`).
   */
  *intervals(): Generator<TaskMetrics, never, void> {
    return todo("19-capstone", "TaskMonitor.intervals");
  }
}

/**
 * The instrumented future. Keep (suggested): the inner future; a shared state (the `RawMetrics`, `wokeAt`, and an
 * `AtomicWaker` holding the task's waker) that the wrapper's wakers point at through a `RawWaker` vtable; the
 * `Context` built once around that waker; `instrumentedAt`, `idledAt`, whether it was polled yet, dropped yet.
 */
export class Instrumented<T> extends FutureBase<T> {
  /** `metrics` is the monitor's `RawMetrics`. */
  constructor(inner: Future<T>, metrics: RawMetrics) {
    super();
    todo("19-capstone", "new Instrumented");
  }

  poll(cx: Context): Poll<T> {
    return todo("19-capstone", "Instrumented.poll");
  }

  /** Drops the inner future (if unfinished) and counts this future as dropped. */
  [Symbol.dispose](): void {
    todo("19-capstone", "Instrumented[Symbol.dispose]");
  }
}
