/**
 * The blocking pool (Tokio's `runtime/blocking/pool.rs`): threads for work that would block a worker.
 *
 *     spawnBlocking(job) ──► queue (FIFO, unbounded) ──► an idle thread, or a new one while numThreads < threadCap
 *                                                         │ job done: next job from the queue, or idle
 *                                                         └ idle for keepAliveMs: the thread leaves
 *
 * Invariants (Tokio's `spawn_task` and `run_worker`):
 * - a job is queued first; then an idle thread is woken, or else a thread is started unless `threadCap` threads
 *   exist, in which case the job waits in the queue (its length is `queueDepth`);
 * - a thread that finishes a job takes the next one from the front of the queue, and goes idle only when the
 *   queue is empty; an idle thread that gets no job for `keepAliveMs` leaves;
 * - each job is an unowned chapter 06 task: its JoinHandle yields the job's value, or a `JoinError` of kind panic
 *   holding what it threw; `abort()` cancels a job that is still queued, never one that has started;
 * - after `shutdown`, new jobs are cancelled at once; idle threads leave; busy threads finish their job and
 *   whatever is still queued, then leave. `shutdown(ms)` waits up to `ms` for that (no limit if omitted); threads
 *   still busy then are detached: they finish in the background without keeping the process alive;
 * - while a job is queued or running, the runtime is asked to keep letting Node's event loop run
 *   (`holdEventLoop`), since the job's result arrives as a message from the worker.
 *
 * Tokio's threads pull jobs from a queue under a mutex and sleep on a condition variable; here the pool lives on
 * the runtime's thread and hands each job to a thread, so the condvar's bookkeeping (`num_notify`, spurious
 * wake-ups) has nothing to do.
 *
 * Task 3 (the pool) and Task 4 (`spawnBlocking`) of the lesson. The options, the fields and the constructor are
 * given; private methods you will want: `#startThread()`, `#runNext(thread)`, `#finished(...)`, `#goIdle(thread)`,
 * `#popIdle()`, `#exit(thread)`.
 */
import type { JoinHandle, UnownedTask } from "#kata/06-task";
import type { DriverHandle } from "#kata/07-current-thread";
import { todo } from "#kit/todo";
import { VecDeque } from "#kit/vec-deque";
import type { BlockingJob, BlockingTask } from "./blocking-task.ts";
import { spawnWorkerThread, type BlockingThread, type SpawnThread } from "./thread.ts";

/** The timers the pool uses (the keep-alive and the shutdown timeout): Node's by default; tests pass their own. */
export interface Timers {
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export interface BlockingPoolOptions {
  /** The most threads the pool starts (Tokio: `max_blocking_threads`, 512, plus the multi-thread workers). */
  threadCap: number;
  /** How long an idle thread waits for a job before it leaves (Tokio: `thread_keep_alive`, 10 s). */
  keepAliveMs: number;
  /** The runtime's driver: held while jobs are in flight; its clock does not auto-advance while they exist. */
  driver?: DriverHandle | null;
  spawnThread?: SpawnThread;
  timers?: Timers;
}

/** A job spawned by name: `module` is a URL or a specifier the worker can import (`#kata/...`). */
export interface ModuleJob {
  module: string | URL;
  export: string;
  args?: readonly unknown[];
}

interface Queued {
  task: UnownedTask;
  future: BlockingTask<unknown>;
}

/** Node's timers, unref'd: an idle thread's keep-alive must not keep the process alive. */
const NODE_TIMERS: Timers = {
  setTimeout: (f, ms) => setTimeout(f, ms).unref(),
  clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
};

export class BlockingPool {
  readonly threadCap: number;
  readonly keepAliveMs: number;
  readonly #driver: DriverHandle | null;
  readonly #spawnThread: SpawnThread;
  readonly #timers: Timers;
  /** Jobs waiting for a thread, oldest first. */
  readonly #queue = new VecDeque<Queued>();
  /** Every live thread, busy or idle. */
  readonly #threads = new Set<BlockingThread>();
  /** Idle threads in the order they went idle, each with its keep-alive timer. */
  readonly #idle = new Map<BlockingThread, unknown>();
  #shutdown = false;
  /** Resolved when the last thread has left after shutdown. */
  #drained: (() => void)[] = [];

  constructor(options: BlockingPoolOptions) {
    if (!Number.isInteger(options.threadCap) || options.threadCap < 1) {
      throw new RangeError(`a blocking pool needs at least one thread, got threadCap ${options.threadCap}`);
    }
    this.threadCap = options.threadCap;
    this.keepAliveMs = options.keepAliveMs;
    this.#driver = options.driver ?? null;
    this.#spawnThread = options.spawnThread ?? spawnWorkerThread;
    this.#timers = options.timers ?? NODE_TIMERS;
  }

  /** Threads alive, busy or idle (Tokio's `num_blocking_threads`). */
  get numThreads(): number {
    return todo("14-blocking", "BlockingPool.numThreads");
  }

  /** Threads waiting for a job (`num_idle_blocking_threads`). */
  get numIdleThreads(): number {
    return todo("14-blocking", "BlockingPool.numIdleThreads");
  }

  /** Jobs waiting for a thread (`blocking_queue_depth`). */
  get queueDepth(): number {
    return todo("14-blocking", "BlockingPool.queueDepth");
  }

  isShutdown(): boolean {
    return todo("14-blocking", "BlockingPool.isShutdown");
  }

  /** Runs a job on a pool thread; see `spawnBlocking` for the two kinds of job (Task 4). */
  spawnBlocking<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): JoinHandle<Awaited<R>>;
  spawnBlocking<T>(job: ModuleJob): JoinHandle<T>;
  spawnBlocking(what: ((...args: unknown[]) => unknown) | ModuleJob, ...args: unknown[]): JoinHandle<unknown> {
    return todo("14-blocking", "BlockingPool.spawnBlocking");
  }

  /**
   * Queues `job` as an unowned task (`unowned(new BlockingTask(job), new BlockingSchedule(driver))`) and returns its
   * JoinHandle. After shutdown the task is shut down at once. Otherwise: queue it, `holdEventLoop()`, then give
   * it to the longest-idle thread, or start a thread if fewer than `threadCap` exist, or leave it queued.
   */
  spawn<T>(job: BlockingJob): JoinHandle<T> {
    return todo("14-blocking", "BlockingPool.spawn");
  }

  /**
   * Stops the pool: new jobs are cancelled, idle threads leave, busy ones leave once the queue is empty. Resolves
   * when every thread has left, or after `timeoutMs` (then the busy threads are detached: `unref`). `0` does not
   * wait; no argument waits without limit.
   */
  async shutdown(timeoutMs?: number): Promise<void> {
    // Given until you write it, so that chapter 07's runtimes can shut down before you reach this chapter: a pool
    // that never started a thread has nothing to stop. Replace the whole body.
    if (this.#threads.size === 0 && this.#queue.isEmpty()) {
      this.#shutdown = true;
      return;
    }
    return todo("14-blocking", "BlockingPool.shutdown");
  }
}

/** Tokio's message when there is no runtime (chapter 07 has the same; 14 cannot import 07 at run time). */
const NO_RUNTIME = "there is no reactor running, must be called from the context of a Tokio 1.x runtime";

/**
 * Runs blocking work on the current runtime's pool (`tokio::task::spawn_blocking`): `CONTEXT.handle.blockingPool`,
 * or throw `Error(NO_RUNTIME)`. Either a self-contained function, whose source (`fn.toString()`) is sent to the
 * thread with structured-clone arguments, or a module's export (a `URL` module is sent as its `href`; `args`
 * default to `[]`).
 */
export function spawnBlocking<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): JoinHandle<Awaited<R>>;
export function spawnBlocking<T>(job: ModuleJob): JoinHandle<T>;
export function spawnBlocking(what: ((...args: unknown[]) => unknown) | ModuleJob, ...args: unknown[]): JoinHandle<unknown> {
  return todo("14-blocking", "spawnBlocking");
}
