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
  #batchStartedAt = 0;
  #busySince = 0;
  #tasksPolledInBatch = 0;

  constructor(
    readonly metrics: WorkerMetrics,
    readonly clock: TimeSource,
    /** A configured global queue interval, or undefined to tune it. */
    readonly configuredInterval: number | undefined,
  ) {}

  /** The configured interval, or `200 µs / average` clamped to 2..127. */
  tunedGlobalQueueInterval(): number {
    if (this.configuredInterval !== undefined) return this.configuredInterval;
    // Rust's `as u32` saturates: an average of 0 gives u32::MAX, then the clamp gives 127.
    const perInterval = Math.floor(TARGET_GLOBAL_QUEUE_INTERVAL / this.taskPollTimeEwma);
    return Math.min(Math.max(perInterval, 2), MAX_TASKS_POLLED_PER_GLOBAL_QUEUE_INTERVAL);
  }

  startProcessingScheduledTasks(): void {
    this.#batchStartedAt = this.clock.now();
    this.#busySince = performance.now();
    this.#tasksPolledInBatch = 0;
  }

  endProcessingScheduledTasks(): void {
    this.metrics.busyDurationMs += performance.now() - this.#busySince;
    const polls = this.#tasksPolledInBatch;
    if (polls === 0) return;
    const meanPollTime = (this.clock.now() - this.#batchStartedAt) / polls;
    const weightedAlpha = 1 - (1 - TASK_POLL_TIME_EWMA_ALPHA) ** polls;
    this.taskPollTimeEwma = weightedAlpha * meanPollTime + (1 - weightedAlpha) * this.taskPollTimeEwma;
  }

  /** A task poll starts (not counted for the polls of a LIFO chain, as in Tokio). */
  startPoll(): void {
    this.metrics.incPoll();
    this.#tasksPolledInBatch++;
  }
}
