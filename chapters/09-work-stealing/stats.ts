/**
 * Per-worker statistics (Tokio's `runtime/scheduler/multi_thread/stats.rs`): the poll count, busy time, and the
 * moving average of poll times from which a worker tunes how often it checks the inject queue.
 *
 * A worker counts "batches": from the moment it starts running tasks (after a park, after maintenance) to the
 * moment it stops (before searching, parking or maintenance). At the end of a batch of `p` polls lasting `t`, the
 * mean poll time `t / p` enters an exponentially weighted moving average with weight `1 - 0.9^p` (as if each poll
 * had been averaged in one by one with alpha 0.1). The average starts at 200 µs / 61.
 *
 * The tuned interval aims at one look at the inject queue every 200 µs of polling: `200 µs / average`, clamped to
 * 2..127. A configured `globalQueueInterval` replaces it. Time comes from the runtime's clock, so a paused clock
 * makes the tuning (and with it the whole schedule) replayable; Tokio reads the real clock here even when paused.
 * Busy time is real time, as Tokio's.
 */
import type { WorkerMetrics } from "#kata/07-current-thread";
import { todo } from "#kit/todo";

export const TASK_POLL_TIME_EWMA_ALPHA = 0.1;
/** 200 µs, in milliseconds. */
export const TARGET_GLOBAL_QUEUE_INTERVAL = 0.2;
export const MAX_TASKS_POLLED_PER_GLOBAL_QUEUE_INTERVAL = 127;
export const TARGET_TASKS_POLLED_PER_GLOBAL_QUEUE_INTERVAL = 61;

/** Where a worker's statistics read the time, in milliseconds. */
export interface TimeSource {
  now(): number;
}

export class Stats {
  /** The moving average of poll times, in milliseconds. */
  taskPollTimeEwma = TARGET_GLOBAL_QUEUE_INTERVAL / TARGET_TASKS_POLLED_PER_GLOBAL_QUEUE_INTERVAL;
  // Yours: when the batch started (clock time, and `performance.now()` for busy time), and its polls so far.

  constructor(
    readonly metrics: WorkerMetrics,
    readonly clock: TimeSource,
    /** A configured global queue interval, or undefined to tune it. */
    readonly configuredInterval: number | undefined,
  ) {}

  /**
   * The configured interval if there is one; else `floor(200 µs / average)` clamped to 2..127 (an average of 0
   * gives Infinity, which clamps to 127, as Rust's saturating `as u32` does).
   */
  tunedGlobalQueueInterval(): number {
    return todo("09-work-stealing", "Stats.tunedGlobalQueueInterval");
  }

  /** A batch starts: remember `clock.now()` and `performance.now()`, reset the batch's poll count. */
  startProcessingScheduledTasks(): void {
    return todo("09-work-stealing", "Stats.startProcessingScheduledTasks");
  }

  /**
   * A batch ends: add the real time since its start to `metrics.busyDurationMs`; if it polled `p > 0` tasks, move
   * the average: `w = 1 - 0.9^p; average = w * (clock time of the batch / p) + (1 - w) * average`.
   */
  endProcessingScheduledTasks(): void {
    return todo("09-work-stealing", "Stats.endProcessingScheduledTasks");
  }

  /** A task poll starts: `metrics.incPoll()`, and one more poll in the batch (LIFO polls are not counted). */
  startPoll(): void {
    return todo("09-work-stealing", "Stats.startPoll");
  }
}
