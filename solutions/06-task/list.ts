/**
 * `OwnedTasks` (Tokio's `runtime/task/list.rs`): every live task of one scheduler, so shutdown can reach them.
 *
 * `bind` creates a task and adds it (holding one of its three initial references); `remove` takes a completed
 * task out; `closeAndShutdownAll` refuses new tasks and shuts down every task still in the list. A task bound
 * after the list closed is shut down at once (its JoinHandle reports cancelled) and is never scheduled.
 * The list is intrusive (links live in the task), so insertion and removal are O(1).
 */
import type { Future } from "#kata/01-poll";
import { RawTask, type Schedule } from "./core.ts";
import { shutdown } from "./harness.ts";
import { nextTaskId } from "./id.ts";
import { JoinHandle } from "./join.ts";

let nextListId = 1;

export class OwnedTasks {
  readonly id = nextListId++;
  #head: RawTask | null = null;
  #closed = false;
  #count = 0;
  #spawned = 0;

  /** Creates a task owned by this list. Returns its JoinHandle and the notified task to schedule, or null if closed. */
  bind<T>(future: Future<T>, scheduler: Schedule, id: number = nextTaskId()): [JoinHandle<T>, RawTask<T> | null] {
    const task = new RawTask(future, scheduler, id);
    const join = new JoinHandle(task);
    if (this.#closed) {
      // The list's reference is never taken; the Notified reference goes to shutdown.
      task.state.refDec();
      shutdown(task);
      return [join, null];
    }
    this.#spawned++;
    task.ownerId = this.id;
    task.next = this.#head;
    if (this.#head !== null) this.#head.prev = task;
    this.#head = task;
    this.#count++;
    return [join, task];
  }

  /** Removes a task of this list; true if it was there. */
  remove(task: RawTask): boolean {
    if (task.ownerId !== this.id) return false;
    task.ownerId = 0;
    if (task.prev !== null) task.prev.next = task.next;
    else this.#head = task.next;
    if (task.next !== null) task.next.prev = task.prev;
    task.prev = task.next = null;
    this.#count--;
    return true;
  }

  /** Closes the list and shuts down every task in it. */
  closeAndShutdownAll(): void {
    this.#closed = true;
    while (this.#head !== null) {
      // Popping hands the list's reference to `shutdown`, which drops it (or completes the task with it).
      const task = this.#head;
      this.remove(task);
      shutdown(task);
    }
  }

  isClosed(): boolean {
    return this.#closed;
  }

  isEmpty(): boolean {
    return this.#count === 0;
  }

  /** Tasks alive in the list (`num_alive_tasks`). */
  get length(): number {
    return this.#count;
  }

  /** Tasks ever added to the list (`spawned_tasks_count`; one refused after the list closed does not count). */
  get spawnedCount(): number {
    return this.#spawned;
  }
}
