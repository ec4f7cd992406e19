/**
 * `TaskMetrics` (tokio-metrics' `task.rs`): what a `TaskMonitor` has counted over its instrumented futures, and
 * the means and ratios derived from it (given code: the learner fills it in from the monitor).
 *
 * Durations are milliseconds (fractional). Counts and totals add up across every future the monitor instrumented;
 * an interval (`TaskMonitor.intervals()`) holds the differences between two samples, except `maxIdleDuration`,
 * which is the longest idle that *ended* within the interval.
 *
 *     instrumented ──first poll──▶ polling ──Pending──▶ idle ──wake──▶ scheduled ──poll──▶ polling ... ──▶ dropped
 *        first-poll delay          poll time          idle time          scheduled time
 *
 * Means divide a total by its count and are 0 when the count is 0; the two ratios divide counts and are NaN when
 * nothing was counted, as the Rust `f64` division is.
 */

/** The counters, in the order tokio-metrics declares them. */
export interface TaskCounters {
  instrumentedCount: number;
  droppedCount: number;
  firstPollCount: number;
  totalFirstPollDelay: number;
  totalIdledCount: number;
  totalIdleDuration: number;
  maxIdleDuration: number;
  totalScheduledCount: number;
  totalScheduledDuration: number;
  totalPollCount: number;
  totalPollDuration: number;
  totalFastPollCount: number;
  totalFastPollDuration: number;
  totalSlowPollCount: number;
  totalSlowPollDuration: number;
  totalShortDelayCount: number;
  totalShortDelayDuration: number;
  totalLongDelayCount: number;
  totalLongDelayDuration: number;
}

export const ZERO_COUNTERS: Readonly<TaskCounters> = Object.freeze({
  instrumentedCount: 0,
  droppedCount: 0,
  firstPollCount: 0,
  totalFirstPollDelay: 0,
  totalIdledCount: 0,
  totalIdleDuration: 0,
  maxIdleDuration: 0,
  totalScheduledCount: 0,
  totalScheduledDuration: 0,
  totalPollCount: 0,
  totalPollDuration: 0,
  totalFastPollCount: 0,
  totalFastPollDuration: 0,
  totalSlowPollCount: 0,
  totalSlowPollDuration: 0,
  totalShortDelayCount: 0,
  totalShortDelayDuration: 0,
  totalLongDelayCount: 0,
  totalLongDelayDuration: 0,
});

function mean(total: number, count: number): number {
  return count === 0 ? 0 : total / count;
}

export class TaskMetrics implements Readonly<TaskCounters> {
  readonly instrumentedCount: number;
  readonly droppedCount: number;
  readonly firstPollCount: number;
  readonly totalFirstPollDelay: number;
  readonly totalIdledCount: number;
  readonly totalIdleDuration: number;
  readonly maxIdleDuration: number;
  readonly totalScheduledCount: number;
  readonly totalScheduledDuration: number;
  readonly totalPollCount: number;
  readonly totalPollDuration: number;
  readonly totalFastPollCount: number;
  readonly totalFastPollDuration: number;
  readonly totalSlowPollCount: number;
  readonly totalSlowPollDuration: number;
  readonly totalShortDelayCount: number;
  readonly totalShortDelayDuration: number;
  readonly totalLongDelayCount: number;
  readonly totalLongDelayDuration: number;

  constructor(c: Readonly<TaskCounters>) {
    this.instrumentedCount = c.instrumentedCount;
    this.droppedCount = c.droppedCount;
    this.firstPollCount = c.firstPollCount;
    this.totalFirstPollDelay = c.totalFirstPollDelay;
    this.totalIdledCount = c.totalIdledCount;
    this.totalIdleDuration = c.totalIdleDuration;
    this.maxIdleDuration = c.maxIdleDuration;
    this.totalScheduledCount = c.totalScheduledCount;
    this.totalScheduledDuration = c.totalScheduledDuration;
    this.totalPollCount = c.totalPollCount;
    this.totalPollDuration = c.totalPollDuration;
    this.totalFastPollCount = c.totalFastPollCount;
    this.totalFastPollDuration = c.totalFastPollDuration;
    this.totalSlowPollCount = c.totalSlowPollCount;
    this.totalSlowPollDuration = c.totalSlowPollDuration;
    this.totalShortDelayCount = c.totalShortDelayCount;
    this.totalShortDelayDuration = c.totalShortDelayDuration;
    this.totalLongDelayCount = c.totalLongDelayCount;
    this.totalLongDelayDuration = c.totalLongDelayDuration;
  }

  meanFirstPollDelay(): number {
    return mean(this.totalFirstPollDelay, this.firstPollCount);
  }

  meanIdleDuration(): number {
    return mean(this.totalIdleDuration, this.totalIdledCount);
  }

  meanScheduledDuration(): number {
    return mean(this.totalScheduledDuration, this.totalScheduledCount);
  }

  meanPollDuration(): number {
    return mean(this.totalPollDuration, this.totalPollCount);
  }

  meanFastPollDuration(): number {
    return mean(this.totalFastPollDuration, this.totalFastPollCount);
  }

  meanSlowPollDuration(): number {
    return mean(this.totalSlowPollDuration, this.totalSlowPollCount);
  }

  meanShortDelayDuration(): number {
    return mean(this.totalShortDelayDuration, this.totalShortDelayCount);
  }

  meanLongDelayDuration(): number {
    return mean(this.totalLongDelayDuration, this.totalLongDelayCount);
  }

  /** Slow polls over all polls (NaN before any poll). */
  slowPollRatio(): number {
    return this.totalSlowPollCount / this.totalPollCount;
  }

  /** Long scheduling delays over all scheduling delays (NaN before any wake was polled). */
  longDelayRatio(): number {
    return this.totalLongDelayCount / this.totalScheduledCount;
  }
}
