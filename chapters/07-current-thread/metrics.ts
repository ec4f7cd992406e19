/**
 * Runtime metrics (Tokio's `runtime/metrics`): counters each worker keeps, incremented at the same code sites
 * as in Tokio, so the tests can use them as oracles of what the scheduler did.
 *
 * - `pollCount`: task polls; `localScheduleCount`: tasks scheduled from inside the worker;
 * - `parkCount` / `parkUnparkCount`: parks (the second counts both parking and unparking: odd means parked now);
 * - `noopCount`: parks that followed a wake-up in which no task was polled;
 * - `stealCount` / `stealOperations` / `overflowCount`: the multi-thread scheduler's (chapters 08, 09);
 * - `budgetForcedYieldCount`: polls that ran the cooperative budget down to zero;
 * - `busyDurationMs`: time spent running the main future and tasks (real time, `performance.now()`, as Tokio
 *   measures it with `std::time::Instant` even when the runtime's clock is paused);
 * - `localQueueDepth`: tasks in the worker's local queue after its last push or pop.
 * `remoteScheduleCount` is kept once per runtime (tasks pushed to the inject queue from outside).
 */
export class WorkerMetrics {
  pollCount = 0;
  localScheduleCount = 0;
  parkCount = 0;
  parkUnparkCount = 0;
  noopCount = 0;
  stealCount = 0;
  stealOperations = 0;
  overflowCount = 0;
  budgetForcedYieldCount = 0;
  busyDurationMs = 0;
  /** Polls since the last park: a park with none since the previous one is a no-op park. */
  pollsSinceUnpark = 0;
  localQueueDepth = 0;

  aboutToPark(): void {
    this.parkCount++;
    this.parkUnparkCount++;
    if (this.pollsSinceUnpark === 0) this.noopCount++;
    this.pollsSinceUnpark = 0;
  }

  unparked(): void {
    this.parkUnparkCount++;
  }

  incPoll(): void {
    this.pollCount++;
    this.pollsSinceUnpark++;
  }
}

export class SchedulerMetrics {
  remoteScheduleCount = 0;
}

/** A read-only view over one runtime's metrics (Tokio's `RuntimeMetrics`). */
export interface RuntimeMetrics {
  numWorkers(): number;
  numAliveTasks(): number;
  spawnedTasksCount(): number;
  globalQueueDepth(): number;
  remoteScheduleCount(): number;
  budgetForcedYieldCount(): number;
  worker(i: number): Readonly<WorkerMetrics>;
}
