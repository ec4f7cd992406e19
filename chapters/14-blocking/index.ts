/**
 * Chapter 14: the cooperative budget and the blocking pool.
 */
export {
  INITIAL_BUDGET,
  budget,
  budgetRemaining,
  consumeBudget,
  hasBudgetRemaining,
  pollBudgetAvailable,
  pollProceed,
  restore,
  stop,
  unconstrained,
  withUnconstrained,
  yieldNow,
  type RestoreOnPending,
} from "./coop.ts";
export { BlockingPool, spawnBlocking, type BlockingPoolOptions, type ModuleJob, type Timers } from "./blocking-pool.ts";
export { BlockingSchedule, BlockingTask, type BlockingJob, type JobOutcome } from "./blocking-task.ts";
export { WorkerThread, spawnWorkerThread, type BlockingThread, type SpawnThread } from "./thread.ts";
