/**
 * `AbortHandle` (Tokio's `runtime/task/abort.rs`): aborts a task without owning its output.
 * It holds a reference to the task; dropping it (`[Symbol.dispose]`) releases the reference and never aborts.
 *
 * Task 4 of the lesson.
 */
import { todo } from "#kit/todo";
import type { RawTask } from "./core.ts";

export class AbortHandle {
  /** Takes a new reference to `raw`. */
  constructor(raw: RawTask) {
    todo("06-task", "new AbortHandle");
  }

  /** Cancels the task at its next poll boundary (no effect once it has completed, or after the drop). */
  abort(): void {
    return todo("06-task", "AbortHandle.abort");
  }

  /** True once the task has completed. Throws after the drop. */
  isFinished(): boolean {
    return todo("06-task", "AbortHandle.isFinished");
  }

  /** The task's id. Throws after the drop. */
  get id(): number {
    return todo("06-task", "AbortHandle.id");
  }

  /** Releases the reference (once). */
  [Symbol.dispose](): void {
    return todo("06-task", "AbortHandle[Symbol.dispose]");
  }
}
