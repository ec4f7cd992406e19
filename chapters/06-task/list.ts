/**
 * `OwnedTasks` (Tokio's `runtime/task/list.rs`): every live task of one scheduler, so shutdown can reach them.
 *
 * `bind` creates a task and adds it (holding one of its three initial references); `remove` takes a completed
 * task out; `closeAndShutdownAll` refuses new tasks and shuts down every task still in the list. A task bound
 * after the list closed is shut down at once (its JoinHandle reports cancelled) and is never scheduled.
 * The list is intrusive in Tokio (links live in the task: `RawTask.prev`, `next`, `ownerId`), so insertion and
 * removal are O(1); any O(1) structure will do.
 *
 * Task 5 of the lesson.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { RawTask, Schedule } from "./core.ts";
import { nextTaskId } from "./id.ts";
import type { JoinHandle } from "./join.ts";

export class OwnedTasks {
  /** Unique among lists (a task records the id of the list that owns it). */
  readonly id: number = todo("06-task", "OwnedTasks.id");

  /**
   * Creates a task owned by this list (`new RawTask(future, scheduler, id)` and its `JoinHandle`). Returns the
   * JoinHandle and the task to schedule (its first Notified), or null if the list is closed: the task is then
   * shut down at once (first drop the Notified's reference, then `shutdown` it with the list's).
   */
  bind<T>(future: Future<T>, scheduler: Schedule, id: number = nextTaskId()): [JoinHandle<T>, RawTask<T> | null] {
    return todo("06-task", "OwnedTasks.bind");
  }

  /** Removes a task of this list; true if it was there (then the list's reference belongs to the caller). */
  remove(task: RawTask): boolean {
    return todo("06-task", "OwnedTasks.remove");
  }

  /** Closes the list and shuts down every task in it (each with the list's reference). */
  closeAndShutdownAll(): void {
    return todo("06-task", "OwnedTasks.closeAndShutdownAll");
  }

  isClosed(): boolean {
    return todo("06-task", "OwnedTasks.isClosed");
  }

  isEmpty(): boolean {
    return todo("06-task", "OwnedTasks.isEmpty");
  }

  /** Tasks alive in the list (`num_alive_tasks`). */
  get length(): number {
    return todo("06-task", "OwnedTasks.length");
  }

  /** Tasks ever added to the list (`spawned_tasks_count`); one refused after close is not counted. */
  get spawnedCount(): number {
    return todo("06-task", "OwnedTasks.spawnedCount");
  }
}
