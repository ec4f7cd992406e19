/**
 * Chapter 09: the multi-thread, work-stealing scheduler. A complete runtime entry point: chapter 07's public API,
 * with a `Builder` that builds both flavours.
 */
export * from "#kata/07-current-thread";
export { Builder } from "./builder.ts";
export { MultiThread } from "./multi-thread.ts";
export { Counters, MultiThreadHandle, type MultiThreadConfig, type Remote } from "./handle.ts";
export { Core, DONE, LIFO, MAX_LIFO_POLLS_PER_TICK, PARK, PARKED, RUN, SEARCH, Worker, type Phase } from "./worker.ts";
export { Idle } from "./idle.ts";
export { EMPTY, NOTIFIED, PARKED_CONDVAR, PARKED_DRIVER, Parker, SharedDriver, type Wakeup } from "./park.ts";
export { FastRand, RngSeed, RngSeedGenerator } from "./rand.ts";
export {
  MAX_TASKS_POLLED_PER_GLOBAL_QUEUE_INTERVAL,
  Stats,
  TARGET_GLOBAL_QUEUE_INTERVAL,
  TARGET_TASKS_POLLED_PER_GLOBAL_QUEUE_INTERVAL,
  TASK_POLL_TIME_EWMA_ALPHA,
  type TimeSource,
} from "./stats.ts";
export type { PollSource, TraceEvent, TraceKind, TraceSink } from "./trace.ts";
