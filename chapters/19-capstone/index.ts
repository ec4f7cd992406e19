/**
 * Chapter 19: the capstone. Seeing inside the runtime (task and runtime metrics, spans across awaits, the
 * console's warnings, diagnosing production scenarios) and a mini-redis server on the assembled runtime.
 */
export { runtimeNow, type Now } from "./clock.ts";
export { TaskMetrics, ZERO_COUNTERS, type TaskCounters } from "./task-metrics.ts";
export {
  DEFAULT_LONG_DELAY_THRESHOLD_MS,
  DEFAULT_SLOW_POLL_THRESHOLD_MS,
  Instrumented,
  TaskMonitor,
  type TaskMonitorOptions,
} from "./task-monitor.ts";
export { TaskStats, type Sequence, type TaskState } from "./task-stats.ts";
export { lint, type Lint, type LintOptions, type Warning } from "./warnings.ts";
export { Console, Traced, type ConsoleOptions } from "./console.ts";
export { RuntimeIntervals, RuntimeMonitor, type RuntimeIntervalMetrics } from "./runtime-monitor.ts";
export * as tracing from "./tracing.ts";
export * as frame from "./frame.ts";
export { ProtocolError, encodeFrame, parseFrame, type Frame } from "./frame.ts";
export { CHANNEL_CAPACITY, CommandError, Db, NOT_AN_INTEGER, OVERFLOW } from "./db.ts";
export { apply, keyBytes, keyOf, parseCommand, wrongArity, type Command } from "./cmd.ts";
export { Connection, RespDecoder } from "./connection.ts";
export { Subscriptions, subscriberMode } from "./subscribe.ts";
export { handleConnection } from "./handler.ts";
export { MAX_CONNECTIONS, runServer, type ServerOptions, type ServerReport } from "./server.ts";
export { diagnose, type Observation, type Problem } from "./diagnose.ts";
export { blockingPool, burn, connectionLeak, hotMutex, saturatedWorker } from "./scenarios.ts";
