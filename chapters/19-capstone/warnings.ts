/**
 * The console's lints (tokio-console's `warnings.rs`), checked against one task at one instant.
 *
 * | lint            | warns when                                                                       | message |
 * |-----------------|----------------------------------------------------------------------------------|---------|
 * | `self-wakes`    | `selfWakePercent()` > the limit (50)                                             | "This task has woken itself for more than 50% of its total wakeups (N%)" |
 * | `lost-waker`    | not completed, no live waker, not running, not awakened                          | "This task has lost its waker, and will never be woken again." |
 * | `never-yielded` | running, at most one poll, `busy(now)` >= the limit (1000 ms)                    | "This task has never yielded (N ms)" |
 *
 * A task can carry several warnings; they come in the order of this table.
 */
import { todo } from "#kit/todo";
import type { TaskStats } from "./task-stats.ts";

export type Lint = "self-wakes" | "lost-waker" | "never-yielded";

export interface Warning {
  readonly lint: Lint;
  readonly task: TaskStats;
  readonly message: string;
}

export interface LintOptions {
  /** tokio-console's `SelfWakePercent::DEFAULT_PERCENT`: 50. */
  selfWakePercent: number;
  /** tokio-console's `NeverYielded::DEFAULT_DURATION`: 1 s. */
  neverYieldedMs: number;
}

/** The warnings that hold for `task` at `now`, in the order of the table. */
export function lint(task: TaskStats, now: number, options: LintOptions): Warning[] {
  return todo("19-capstone", "lint");
}
