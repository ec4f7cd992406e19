/**
 * Diagnosis (seed 16): naming a production problem from the metrics alone.
 *
 * An `Observation` is what a program's instruments saw: RuntimeMonitor samples taken at quiet points of its life
 * (at least one), the request handlers' TaskMonitor, and, if the program has a lock, a TaskMonitor on its
 * `lock()` futures. `diagnose` returns the problems it shows, in this order:
 *
 * | problem                     | the signal                                                                         |
 * |-----------------------------|------------------------------------------------------------------------------------|
 * | `connection-leak`           | at least two samples, and the registered sockets (`ioDriverFdCount`) grew from each sample to the next: every client left, yet the server's sockets stay (CLOSE_WAIT) |
 * | `hot-mutex`                 | a lock monitor in which more than half of the acquisitions had to wait (`totalIdledCount * 2 > instrumentedCount`) |
 * | `saturated-worker`          | the handlers had slow polls (`totalSlowPollCount > 0`) and more than half of their wake-ups waited long to be polled (`longDelayRatio() > 0.5`): someone holds the worker |
 * | `blocking-pool-exhausted`   | the last sample has jobs waiting for a blocking thread (`blockingQueueDepth > 0`) |
 *
 * A healthy program shows none of them.
 */
import { todo } from "#kit/todo";
import type { RuntimeIntervalMetrics } from "./runtime-monitor.ts";
import type { TaskMetrics } from "./task-metrics.ts";

export type Problem = "connection-leak" | "hot-mutex" | "saturated-worker" | "blocking-pool-exhausted";

export interface Observation {
  /** RuntimeMonitor samples, oldest first (at least one). */
  readonly runtime: readonly RuntimeIntervalMetrics[];
  /** The request handlers' TaskMonitor, cumulative. */
  readonly handlers: TaskMetrics;
  /** A TaskMonitor on the `lock()` futures, cumulative; null if the program has no lock. */
  readonly locks: TaskMetrics | null;
}

/** The problems `obs` shows, in the order of the table. */
export function diagnose(obs: Observation): Problem[] {
  return todo("19-capstone", "diagnose");
}
