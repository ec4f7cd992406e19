/**
 * The inject queue (Tokio's `runtime/scheduler/inject`): where tasks scheduled from outside a worker land.
 *
 * A FIFO shared by the whole runtime: wakes from outside the runtime (another runtime, a Node callback) push
 * here, and so do local queues that overflow (chapter 08). Workers pop from it. Once closed (at shutdown) it
 * refuses pushes: the pushed task is handed back so the caller can drop it.
 * Invariant: `length` is exact, so `isEmpty` is a cheap check workers make on every tick.
 *
 * Task 1 of the lesson. Chapters 08 and 09 reuse this queue. `VecDeque` from `#kit/vec-deque` is the ring
 * buffer to build it on (a JavaScript array's `shift` is O(n)).
 */
import { todo } from "#kit/todo";

export class Inject<T> {
  /** Tasks queued now. */
  get length(): number {
    return todo("07-current-thread", "Inject.length");
  }

  isEmpty(): boolean {
    return todo("07-current-thread", "Inject.isEmpty");
  }

  isClosed(): boolean {
    return todo("07-current-thread", "Inject.isClosed");
  }

  /** Closes the queue; true if this call closed it (false if it was closed already). */
  close(): boolean {
    return todo("07-current-thread", "Inject.close");
  }

  /** Pushes at the back; returns false (and keeps nothing) if the queue is closed. */
  push(task: T): boolean {
    return todo("07-current-thread", "Inject.push");
  }

  /** Pushes a batch at the back, in order; returns false (and takes none of them) if the queue is closed. */
  pushBatch(tasks: Iterable<T>): boolean {
    return todo("07-current-thread", "Inject.pushBatch");
  }

  /** Takes the task at the front, or undefined. A closed queue still hands out what it holds. */
  pop(): T | undefined {
    return todo("07-current-thread", "Inject.pop");
  }
}
