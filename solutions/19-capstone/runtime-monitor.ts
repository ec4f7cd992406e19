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
import type { Handle, WorkerMetrics } from "#kata/07-current-thread";
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

/** tokio-metrics' `RuntimeIntervals`: what the previous sample saw, and `next()` to take the next one. */
export class RuntimeIntervals implements IterableIterator<RuntimeIntervalMetrics> {
  readonly #handle: Handle;
  readonly #now: Now;
  readonly #workers: Readonly<WorkerMetrics>[];
  #seen: Record<CountedField, number>[];
  #remote: number;
  #forced: number;
  #ready: number;
  #startedAt: number;

  constructor(handle: Handle, now: Now) {
    this.#handle = handle;
    this.#now = now;
    const rt = handle.metrics();
    this.#workers = Array.from({ length: rt.numWorkers() }, (_, i) => rt.worker(i));
    this.#seen = this.#workers.map(snapshot);
    this.#remote = rt.remoteScheduleCount();
    this.#forced = rt.budgetForcedYieldCount();
    this.#ready = handle.driver.io?.metrics.readyCount ?? 0;
    this.#startedAt = now();
  }

  next(): IteratorResult<RuntimeIntervalMetrics, never> {
    return { done: false, value: this.probe() };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** One sample: the deltas since the previous one, and the gauges as they stand. */
  probe(): RuntimeIntervalMetrics {
    const rt = this.#handle.metrics();
    const now = this.#now();
    const current = this.#workers.map(snapshot);
    const seen = this.#seen;
    const delta = (field: CountedField) => current.map((w, i) => w[field] - seen[i]![field]);
    const park = stats(delta("parkCount"));
    const noop = stats(delta("noopCount"));
    const steal = stats(delta("stealCount"));
    const stealOps = stats(delta("stealOperations"));
    const local = stats(delta("localScheduleCount"));
    const overflow = stats(delta("overflowCount"));
    const polls = stats(delta("pollCount"));
    const busy = stats(delta("busyDurationMs"));
    const depth = stats(this.#workers.map((w) => w.localQueueDepth));
    const pool = this.#handle.blockingPool;
    const io = this.#handle.driver.io?.metrics ?? { fdCount: 0, readyCount: 0 };
    const sample: RuntimeIntervalMetrics = {
      workersCount: this.#workers.length,
      liveTasksCount: rt.numAliveTasks(),
      elapsed: now - this.#startedAt,
      globalQueueDepth: rt.globalQueueDepth(),
      numRemoteSchedules: rt.remoteScheduleCount() - this.#remote,
      budgetForcedYieldCount: rt.budgetForcedYieldCount() - this.#forced,
      totalParkCount: park.total, maxParkCount: park.max, minParkCount: park.min,
      totalNoopCount: noop.total, maxNoopCount: noop.max, minNoopCount: noop.min,
      totalStealCount: steal.total, maxStealCount: steal.max, minStealCount: steal.min,
      totalStealOperations: stealOps.total, maxStealOperations: stealOps.max, minStealOperations: stealOps.min,
      totalLocalScheduleCount: local.total, maxLocalScheduleCount: local.max, minLocalScheduleCount: local.min,
      totalOverflowCount: overflow.total, maxOverflowCount: overflow.max, minOverflowCount: overflow.min,
      totalPollsCount: polls.total, maxPollsCount: polls.max, minPollsCount: polls.min,
      totalBusyDuration: busy.total, maxBusyDuration: busy.max, minBusyDuration: busy.min,
      totalLocalQueueDepth: depth.total, maxLocalQueueDepth: depth.max, minLocalQueueDepth: depth.min,
      blockingQueueDepth: pool.queueDepth,
      blockingThreadsCount: pool.numThreads,
      idleBlockingThreadsCount: pool.numIdleThreads,
      ioDriverFdCount: io.fdCount,
      ioDriverReadyCount: io.readyCount - this.#ready,
    };
    this.#seen = current;
    this.#remote = rt.remoteScheduleCount();
    this.#forced = rt.budgetForcedYieldCount();
    this.#ready = io.readyCount;
    this.#startedAt = now;
    return sample;
  }
}

/** The per-worker counters a sample reports as deltas. */
type CountedField = "parkCount" | "noopCount" | "stealCount" | "stealOperations" | "localScheduleCount" | "overflowCount" | "pollCount" | "busyDurationMs";

function snapshot(w: Readonly<WorkerMetrics>): Record<CountedField, number> {
  return {
    parkCount: w.parkCount,
    noopCount: w.noopCount,
    stealCount: w.stealCount,
    stealOperations: w.stealOperations,
    localScheduleCount: w.localScheduleCount,
    overflowCount: w.overflowCount,
    pollCount: w.pollCount,
    busyDurationMs: w.busyDurationMs,
  };
}

/** Total, max and min of some values (all 0 when there are none). */
function stats(values: number[]): { total: number; max: number; min: number } {
  if (values.length === 0) return { total: 0, max: 0, min: 0 };
  return { total: values.reduce((a, b) => a + b, 0), max: Math.max(...values), min: Math.min(...values) };
}
