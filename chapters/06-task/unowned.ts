/**
 * Unowned tasks (Tokio's `UnownedTask` in `runtime/task/mod.rs`): tasks that no `OwnedTasks` list holds, such
 * as the blocking pool's jobs (chapter 14). Runtime shutdown cannot reach them through a list; whoever holds the
 * `UnownedTask` runs it or shuts it down.
 *
 * An `UnownedTask` holds two of the task's three initial references (the one a list would hold, and the
 * Notified one); the JoinHandle holds the third. Invariants: the `UnownedTask` is used once (`run`, `start` then
 * `finish`, `shutdown`, or dropped with `[Symbol.dispose]`); its scheduler's `release` returns false.
 *
 * Task 5 of the lesson.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { RawTask, Schedule } from "./core.ts";
import { nextTaskId } from "./id.ts";
import type { JoinHandle } from "./join.ts";

export class UnownedTask<T = unknown> {
  constructor(raw: RawTask<T>) {
    todo("06-task", "new UnownedTask");
  }

  /** The task's id. Throws once the UnownedTask is used up. */
  get id(): number {
    return todo("06-task", "UnownedTask.id");
  }

  /** Runs the task: `start`, then `finish` if `start` says so (Tokio's `UnownedTask::run`). */
  run(): void {
    return todo("06-task", "UnownedTask.run");
  }

  /**
   * The first half of `run`: `startPoll`. False if the task was aborted before it started (it is complete now,
   * as cancelled): then drop the extra reference; the UnownedTask is used up. True if `finish` must follow.
   */
  start(): boolean {
    return todo("06-task", "UnownedTask.start");
  }

  /** The second half of `run`: `finishPoll`, then drop the extra reference. Used up afterwards. */
  finish(): void {
    return todo("06-task", "UnownedTask.finish");
  }

  /** Cancels the task without running it: drop one reference, then `shutdown` with the other. */
  shutdown(): void {
    return todo("06-task", "UnownedTask.shutdown");
  }

  /** Drops the task unrun: releases both references at once (`refDecTwice`), freeing the task if they were last. */
  [Symbol.dispose](): void {
    return todo("06-task", "UnownedTask[Symbol.dispose]");
  }
}

/** Creates a task that no list owns; returns its JoinHandle and the task to run (Tokio's `task::unowned`). */
export function unowned<T>(future: Future<T>, scheduler: Schedule, id: number = nextTaskId()): [JoinHandle<T>, UnownedTask<T>] {
  return todo("06-task", "unowned");
}
