/**
 * `RuntimeMonitor` (tokio-metrics' `runtime.rs`): the runtime's own counters (chapters 07 and 09), sampled at
 * intervals and summed, maxed and minned over the workers.
 *
 *     const monitor = new RuntimeMonitor(Handle.current());
 *     const intervals = monitor.intervals();
 *     ...
 *     const m = intervals.next().value;     // what happened since the previous sample
 *     m.totalPollsCount, m.maxBusyDuration, m.globalQueueDepth, m.blockingQueueDepth, ...
 *
 * Per sample, for each per-worker counter (parks, no-op parks, steals, steal operations, local schedules,
 * overflows, polls, busy time), the *delta* of each worker since the previous sample; `total*` is their sum, `max*`
 * and `min*` the largest and smallest delta. The runtime-wide counters `numRemoteSchedules` and
 * `budgetForcedYieldCount` are deltas too, and so is the I/O driver's `ioDriverReadyCount` (events dispatched).
 * Gauges are read as they stand: `workersCount`, `liveTasksCount`, `globalQueueDepth`, the local queue depths
 * (total, max, min over the workers), the blocking pool's `blockingQueueDepth`, `blockingThreadsCount`,
 * `idleBlockingThreadsCount`, and the I/O driver's `ioDriverFdCount` (sockets registered now: Tokio's registered
 * minus deregistered; 0 when I/O is disabled). `elapsed` is the time since the
 * previous sample, on the monitor's clock. The first sample counts from the moment `intervals()` was called.
 *
 * Where each counter increments is chapter 09's business (tokio-internals section 11): a steal in `steal_into`,
 * an overflow in `push_overflow`, a local schedule in `schedule_local`, a remote one in `push_remote_task`, a forced
 * yield when `poll_proceed` reaches zero, a park (and a no-op park) in `about_to_park`.
 *
 * Where JavaScript differs: Tokio's `mean_poll_duration` reads the workers' poll-time EWMA and histogram, which
 * our `WorkerMetrics` does not keep; `busyDuration` is real time (`performance.now()`), as Tokio measures it with
 * `std::time::Instant` even when the clock is paused.
 */
import type { Handle } from "#kata/07-current-thread";
import { todo } from "#kit/todo";
import { runtimeNow, type Now } from "./clock.ts";

export interface RuntimeIntervalMetrics {
  workersCount: number;
  liveTasksCount: number;
  elapsed: number;
  globalQueueDepth: number;
  numRemoteSchedules: number;
  budgetForcedYieldCount: number;
  totalParkCount: number;
  maxParkCount: number;
  minParkCount: number;
  totalNoopCount: number;
  maxNoopCount: number;
  minNoopCount: number;
  totalStealCount: number;
  maxStealCount: number;
  minStealCount: number;
  totalStealOperations: number;
  maxStealOperations: number;
  minStealOperations: number;
  totalLocalScheduleCount: number;
  maxLocalScheduleCount: number;
  minLocalScheduleCount: number;
  totalOverflowCount: number;
  maxOverflowCount: number;
  minOverflowCount: number;
  totalPollsCount: number;
  maxPollsCount: number;
  minPollsCount: number;
  totalBusyDuration: number;
  maxBusyDuration: number;
  minBusyDuration: number;
  totalLocalQueueDepth: number;
  maxLocalQueueDepth: number;
  minLocalQueueDepth: number;
  blockingQueueDepth: number;
  blockingThreadsCount: number;
  idleBlockingThreadsCount: number;
  ioDriverFdCount: number;
  ioDriverReadyCount: number;
}

export class RuntimeMonitor {
  readonly #handle: Handle;
  readonly #now: Now;

  constructor(handle: Handle, now: Now = runtimeNow()) {
    this.#handle = handle;
    this.#now = now;
  }

  /** An endless iterator of samples, each covering the time since the previous one (or since this call). */
  intervals(): RuntimeIntervals {
    return new RuntimeIntervals(this.#handle, this.#now);
  }
}

/**
 * tokio-metrics' `RuntimeIntervals`: what the previous sample saw, and `next()` to take the next one. The
 * constructor takes the baseline (each worker's counters, the runtime-wide counters, the time) at once; the workers
 * are `handle.metrics().worker(i)` for `i` below `numWorkers()`.
 */
export class RuntimeIntervals implements IterableIterator<RuntimeIntervalMetrics> {
  constructor(handle: Handle, now: Now) {
    todo("19-capstone", "new RuntimeIntervals");
  }

  next(): IteratorResult<RuntimeIntervalMetrics, never> {
    return { done: false, value: this.probe() };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** One sample: the deltas since the previous one, and the gauges as they stand. */
  probe(): RuntimeIntervalMetrics {
    return todo("19-capstone", "RuntimeIntervals.probe");
  }
}
