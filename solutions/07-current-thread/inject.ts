/**
 * The inject queue (Tokio's `runtime/scheduler/inject`): where tasks scheduled from outside a worker land.
 *
 * A FIFO shared by the whole runtime: wakes from outside the runtime (another runtime, a Node callback) push
 * here, and so do local queues that overflow (chapter 08). Workers pop from it. Once closed (at shutdown) it
 * refuses pushes: the pushed task is handed back so the caller can drop it.
 * Invariant: `length` is exact, so `isEmpty` is a cheap check workers make on every tick.
 */
import { VecDeque } from "#kit/vec-deque";

export class Inject<T> {
  #queue = new VecDeque<T>(64);
  #closed = false;

  get length(): number {
    return this.#queue.length;
  }

  isEmpty(): boolean {
    return this.#queue.isEmpty();
  }

  isClosed(): boolean {
    return this.#closed;
  }

  /** Closes the queue; true if this call closed it. */
  close(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    return true;
  }

  /** Pushes at the back; returns false (and keeps nothing) if the queue is closed. */
  push(task: T): boolean {
    if (this.#closed) return false;
    this.#queue.pushBack(task);
    return true;
  }

  /** Pushes a batch at the back, in order; returns false (and takes none of them) if the queue is closed. */
  pushBatch(tasks: Iterable<T>): boolean {
    if (this.#closed) return false;
    for (const t of tasks) this.#queue.pushBack(t);
    return true;
  }

  pop(): T | undefined {
    return this.#queue.popFront();
  }
}
