/**
 * The task cell (Tokio's `runtime/task/core.rs`): header, core and trailer in one object.
 *
 * - header: the state word, the task id, the scheduler that owns the task;
 * - core: the stage, which is `Running` (holds the future), `Finished` (holds the output or a `JoinError`),
 *   or `Consumed` (the output was taken, or dropped);
 * - trailer: the JoinHandle's waker, and the links of the owned-tasks list.
 *
 * Invariants: the future and the output are never both present; each is dropped exactly once; the cell is
 * deallocated exactly once, when its last reference goes (`deallocated` records it, so tests can see it).
 */
import type { Context, Waker } from "#kata/03-waker";
import type { Future } from "#kata/01-poll";
import { State } from "./state.ts";
import type { JoinError } from "./error.ts";

/** What a scheduler must provide to the tasks it runs (Tokio's `Schedule` trait). */
export interface Schedule {
  /** Puts a notified task on a run queue. */
  schedule(task: RawTask): void;
  /** Requeues a task that was woken while it was being polled (at the back of the queue). */
  yieldNow(task: RawTask): void;
  /** Removes a completed task from the scheduler's owned list; true if the list held a reference to it. */
  release(task: RawTask): boolean;
}

export const STAGE_RUNNING = 0;
export const STAGE_FINISHED = 1;
export const STAGE_CONSUMED = 2;

export class RawTask<T = unknown> extends State {
  stage = STAGE_RUNNING;
  future: Future<T> | null;
  /** The output when `Finished` without error. */
  output: T | undefined = undefined;
  /** The error when `Finished` with an error. */
  error: JoinError | null = null;
  /** The JoinHandle's waker (trailer). */
  joinWaker: Waker | null = null;
  /** Owned-tasks list links (trailer). */
  prev: RawTask | null = null;
  next: RawTask | null = null;
  /** The id of the owned-tasks list the task belongs to, 0 if none. */
  ownerId = 0;
  /** Per-task scratch for schedulers (e.g. a slab index); the task never reads it. */
  schedulerData = 0;
  /** The context lent to the future on each poll, made on the first (see waker.ts), dropped with the future. */
  cx: Context | null = null;
  /** Set by `dealloc`: in Rust the memory is gone; here any later use is a bug the tests can catch. */
  deallocated = false;

  constructor(
    future: Future<T>,
    readonly scheduler: Schedule,
    readonly id: number,
  ) {
    super();
    this.future = future;
  }

  /**
   * The state word of the header. The task is its own `State` (the class extends it) rather than holding one:
   * a separate object would cost 32 bytes and one more object for the garbage collector to trace, per task.
   */
  get state(): State {
    return this;
  }

  /** Stores the output (the future has been dropped already). */
  storeOutput(value: T): void {
    this.future = null;
    this.output = value;
    this.stage = STAGE_FINISHED;
  }

  storeError(error: JoinError): void {
    this.future = null;
    this.error = error;
    this.stage = STAGE_FINISHED;
  }

  /** Drops whatever the core holds: the future (disposing it) or the output. */
  dropFutureOrOutput(): void {
    const future = this.future;
    this.future = null;
    this.output = undefined;
    this.error = null;
    this.stage = STAGE_CONSUMED;
    // The context is lent to polls of the future only; without the future it is garbage.
    this.cx = null;
    future?.[Symbol.dispose]?.();
  }

  /** Frees the cell: in Rust the memory goes back to the allocator; here we let go of everything it holds. */
  dealloc(): void {
    if (this.deallocated) throw new Error(`task ${this.id} deallocated twice`);
    this.deallocated = true;
    const waker = this.joinWaker;
    this.joinWaker = null;
    waker?.drop();
    if (this.stage !== STAGE_CONSUMED) this.dropFutureOrOutput();
    this.cx = null;
  }

  /** Releases one reference; the last one deallocates. */
  dropReference(): void {
    if (this.state.refDec()) this.dealloc();
  }
}
