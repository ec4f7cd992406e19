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
export { BlockingPool, type BlockingPoolOptions } from "./blocking-pool.ts";
