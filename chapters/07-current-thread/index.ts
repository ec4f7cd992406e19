/**
 * Chapter 07: the current-thread runtime.
 */
export { Builder, DEFAULT_CURRENT_THREAD_GLOBAL_QUEUE_INTERVAL, DEFAULT_EVENT_INTERVAL, DEFAULT_MAX_BLOCKING_THREADS, DEFAULT_THREAD_KEEP_ALIVE_MS, type BuilderConfig } from "./builder.ts";
export { Runtime, type Scheduler } from "./runtime.ts";
export { EnterGuard, Handle, NO_RUNTIME, RUNTIME_IN_RUNTIME, spawn, type RuntimeFlavor, type SchedulerHandle } from "./handle.ts";
export { CurrentThread, CurrentThreadHandle, type CurrentThreadConfig } from "./current-thread.ts";
export { DriverHandle, ParkThread, createDriver, type Driver, type DriverConfig } from "./driver.ts";
export { Inject } from "./inject.ts";
export { Defer } from "./defer.ts";
export { SchedulerMetrics, WorkerMetrics, type RuntimeMetrics } from "./metrics.ts";
export { main } from "./main.ts";
