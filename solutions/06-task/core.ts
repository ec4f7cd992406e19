/**
 * The task cell (Tokio's `runtime/task/core.rs`): header, core and trailer in one object.
 *
 * - header: the state word, the task id, the scheduler that owns the task;
 * - core: the stage, which is `Running` (holds the future), `Finished` (holds the output or a `JoinError`),
 *   or `Consumed` (the output was taken, or dropped);
 * - trailer: the JoinHandle's waker, and the links of the owned-tasks list.
 *
 * Tokio's stage is an enum, one tag and one payload that is the future, then the result, then nothing. So is ours:
 * `stage` is the tag and one private slot the payload, read through `future`, `output` and `error`. An error is
 * stored in a small box (`Failure`), so a stored output costs nothing extra, and errors are rare.
 *
 * Invariants: the future and the output are never both present; each is dropped exactly once; the cell is
 * deallocated exactly once, when its last reference goes (`deallocated` records it, so tests can see it).
 * Every field costs 8 bytes per live task, which a million pending tasks feel, so the cell keeps only these.
 */
import type { Waker } from "#kata/03-waker";
import { CONTEXT } from "#kit/context";
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
/** Not a Tokio stage: in Rust the memory is gone; here any later use is a bug the tests can catch. */
export const STAGE_DEALLOCATED = 3;

/** `Err(JoinError)` as the payload of `Finished`. */
class Failure {
  constructor(readonly error: JoinError) {}
}

export class RawTask<T = unknown> extends State {
  stage = STAGE_RUNNING;
  /** The stage's payload: the future (`Running`), the output or a `Failure` (`Finished`), else undefined. */
  #payload: Future<T> | T | Failure | undefined;
  /** The JoinHandle's waker (trailer). */
  joinWaker: Waker | null = null;
  /** Owned-tasks list links (trailer). */
  prev: RawTask | null = null;
  next: RawTask | null = null;
  /** The id of the owned-tasks list the task belongs to, 0 if none. */
  ownerId = 0;
  /** Per-task scratch for schedulers (e.g. a slab index); the task never reads it. */
  schedulerData = 0;

  constructor(
    future: Future<T>,
    readonly scheduler: Schedule,
    readonly id: number,
  ) {
    super();
    this.#payload = future;
  }

  /**
   * The state word of the header. The task is its own `State` (the class extends it) rather than holding one:
   * a separate object would cost 32 bytes and one more object for the garbage collector to trace, per task.
   */
  get state(): State {
    return this;
  }

  /** The future while `Running`, else null. */
  get future(): Future<T> | null {
    return this.stage === STAGE_RUNNING ? (this.#payload as Future<T>) : null;
  }

  /** The output when `Finished` without error, else undefined. */
  get output(): T | undefined {
    const p = this.#payload;
    return this.stage === STAGE_FINISHED && !(p instanceof Failure) ? (p as T) : undefined;
  }

  /** The error when `Finished` with an error, else null. */
  get error(): JoinError | null {
    const p = this.#payload;
    return this.stage === STAGE_FINISHED && p instanceof Failure ? p.error : null;
  }

  /** True once `dealloc` has run. */
  get deallocated(): boolean {
    return this.stage === STAGE_DEALLOCATED;
  }

  /** Stores the output (the future has been dropped already). */
  storeOutput(value: T): void {
    this.#payload = value;
    this.stage = STAGE_FINISHED;
  }

  storeError(error: JoinError): void {
    this.#payload = new Failure(error);
    this.stage = STAGE_FINISHED;
  }

  /**
   * Moves the result out (Tokio's `Core::take_output`): the stage becomes `Consumed`; returns the output, or throws
   * the stored `JoinError`. Throws "JoinHandle polled after completion" if the stage is not `Finished`.
   */
  takeOutput(): T {
    if (this.stage !== STAGE_FINISHED) throw new Error("JoinHandle polled after completion");
    const p = this.#payload;
    this.#payload = undefined;
    this.stage = STAGE_CONSUMED;
    if (p instanceof Failure) throw p.error;
    return p as T;
  }

  /**
   * Drops whatever the core holds: the future (disposing it) or the output. The future is disposed with the task's
   * id in `CONTEXT.currentTaskId`, as Tokio enters the task's id around every change of stage (`set_stage`), so a
   * drop run by an abort, a shutdown or the last reference still knows its task.
   */
  dropFutureOrOutput(): void {
    const future = this.future;
    this.#payload = undefined;
    this.stage = STAGE_CONSUMED;
    const dispose = future?.[Symbol.dispose];
    if (dispose === undefined) return;
    const prevId = CONTEXT.currentTaskId;
    CONTEXT.currentTaskId = this.id;
    try {
      dispose.call(future);
    } finally {
      CONTEXT.currentTaskId = prevId;
    }
  }

  /** Frees the cell: in Rust the memory goes back to the allocator; here we let go of everything it holds. */
  dealloc(): void {
    if (this.deallocated) throw new Error(`task ${this.id} deallocated twice`);
    const waker = this.joinWaker;
    this.joinWaker = null;
    waker?.drop();
    if (this.stage !== STAGE_CONSUMED) this.dropFutureOrOutput();
    this.stage = STAGE_DEALLOCATED;
  }

  /** Releases one reference; the last one deallocates. */
  dropReference(): void {
    if (this.state.refDec()) this.dealloc();
  }
}
