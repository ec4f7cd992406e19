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
 */
import type { JoinHandle } from "#kata/06-task";
import { unowned, type UnownedTask } from "#kata/06-task";
import type { DriverHandle, Handle } from "#kata/07-current-thread";
import { CONTEXT } from "#kit/context";
import { VecDeque } from "#kit/vec-deque";
import { BlockingSchedule, BlockingTask, type BlockingJob, type JobOutcome } from "./blocking-task.ts";
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
  readonly #queue = new VecDeque<Queued>();
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
    return this.#threads.size;
  }

  /** Threads waiting for a job (`num_idle_blocking_threads`). */
  get numIdleThreads(): number {
    return this.#idle.size;
  }

  /** Jobs waiting for a thread (`blocking_queue_depth`). */
  get queueDepth(): number {
    return this.#queue.length;
  }

  isShutdown(): boolean {
    return this.#shutdown;
  }

  /** Runs a job on a pool thread; see `spawnBlocking` for the two kinds of job. */
  spawnBlocking<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): JoinHandle<Awaited<R>>;
  spawnBlocking<T>(job: ModuleJob): JoinHandle<T>;
  spawnBlocking(what: ((...args: unknown[]) => unknown) | ModuleJob, ...args: unknown[]): JoinHandle<unknown> {
    return this.spawn(toJob(what, args));
  }

  /** Queues `job` as an unowned task and returns its JoinHandle (Tokio's `spawn_blocking_inner` + `spawn_task`). */
  spawn<T>(job: BlockingJob): JoinHandle<T> {
    const future = new BlockingTask<T>(job);
    const [join, task] = unowned(future, new BlockingSchedule(this.#driver));
    if (this.#shutdown) {
      task.shutdown();
      return join;
    }
    this.#queue.pushBack({ task, future });
    this.#driver?.holdEventLoop();
    const idle = this.#popIdle();
    if (idle !== undefined) this.#runNext(idle);
    else if (this.#threads.size < this.threadCap) this.#startThread();
    return join;
  }

  /**
   * Stops the pool: new jobs are cancelled, idle threads leave, busy ones leave once the queue is empty. Resolves
   * when every thread has left, or after `timeoutMs` (then the busy threads are detached). `0` does not wait.
   */
  async shutdown(timeoutMs?: number): Promise<void> {
    if (!this.#shutdown) {
      this.#shutdown = true;
      for (let t = this.#popIdle(); t !== undefined; t = this.#popIdle()) this.#exit(t);
    }
    if (this.#threads.size === 0) return;
    if (timeoutMs !== 0) {
      let timer: unknown;
      const drained = new Promise<void>((resolve) => this.#drained.push(resolve));
      const timedOut = new Promise<void>((resolve) => {
        if (timeoutMs !== undefined) timer = this.#timers.setTimeout(resolve, timeoutMs);
      });
      await Promise.race([drained, timedOut]);
      if (timer !== undefined) this.#timers.clearTimeout(timer);
    }
    for (const thread of this.#threads) thread.unref();
  }

  #startThread(): void {
    const thread = this.#spawnThread();
    this.#threads.add(thread);
    this.#runNext(thread);
  }

  /** Gives `thread` the next job that is still wanted; with none, the thread goes idle (or leaves at shutdown). */
  #runNext(thread: BlockingThread): void {
    for (let next = this.#queue.popFront(); next !== undefined; next = this.#queue.popFront()) {
      if (!next.task.start()) {
        // Aborted while it waited in the queue: the task is complete (cancelled); the thread takes the next.
        this.#driver?.releaseEventLoop();
        continue;
      }
      const { task, future } = next;
      thread.run(future.job, (outcome) => this.#finished(thread, task, future, outcome));
      return;
    }
    if (this.#shutdown) this.#exit(thread);
    else this.#goIdle(thread);
  }

  #finished(thread: BlockingThread, task: UnownedTask, future: BlockingTask<unknown>, outcome: JobOutcome): void {
    future.outcome = outcome;
    task.finish();
    this.#driver?.releaseEventLoop();
    if (outcome.ok || outcome.threadDied !== true) {
      this.#runNext(thread);
      return;
    }
    // The thread is gone: start a replacement if jobs wait and no one else will take them.
    this.#exit(thread);
    if (!this.#shutdown && !this.#queue.isEmpty() && this.#idle.size === 0) this.#startThread();
  }

  #goIdle(thread: BlockingThread): void {
    thread.unref();
    const timer = this.#timers.setTimeout(() => {
      // No job for keepAliveMs: the thread leaves (Tokio's `wait_timeout` timing out).
      this.#idle.delete(thread);
      this.#exit(thread);
    }, this.keepAliveMs);
    this.#idle.set(thread, timer);
  }

  /** Takes the longest-idle thread (a condition variable usually wakes its oldest waiter) and stops its keep-alive. */
  #popIdle(): BlockingThread | undefined {
    for (const [thread, timer] of this.#idle) {
      this.#timers.clearTimeout(timer);
      this.#idle.delete(thread);
      return thread;
    }
    return undefined;
  }

  #exit(thread: BlockingThread): void {
    this.#threads.delete(thread);
    thread.terminate();
    if (!this.#shutdown || this.#threads.size > 0) return;
    // The last thread left after shutdown: whatever is still queued will never run.
    for (let next = this.#queue.popFront(); next !== undefined; next = this.#queue.popFront()) {
      next.task.shutdown();
      this.#driver?.releaseEventLoop();
    }
    for (const resolve of this.#drained.splice(0)) resolve();
  }
}

function toJob(what: ((...args: unknown[]) => unknown) | ModuleJob, args: unknown[]): BlockingJob {
  if (typeof what === "function") return { kind: "source", source: what.toString(), args };
  const module = what.module instanceof URL ? what.module.href : what.module;
  return { kind: "module", module, export: what.export, args: what.args ?? [] };
}

/** Tokio's message when there is no runtime (chapter 07 has the same; 14 cannot import 07 at run time). */
const NO_RUNTIME = "there is no reactor running, must be called from the context of a Tokio 1.x runtime";

function currentHandle(): Handle {
  const handle = CONTEXT.handle;
  if (handle === null) throw new Error(NO_RUNTIME);
  return handle;
}

/**
 * Runs blocking work on the current runtime's pool (`tokio::task::spawn_blocking`). Either a self-contained
 * function, whose source is sent to the thread with structured-clone arguments: `spawnBlocking((n) => fib(n), 30)`
 * fails, since `fib` is not there, while `spawnBlocking((n) => { ... }, 30)` works; or a module's export:
 * `spawnBlocking({ module: new URL("./hash.ts", import.meta.url), export: "hash", args: [data] })`.
 */
export function spawnBlocking<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): JoinHandle<Awaited<R>>;
export function spawnBlocking<T>(job: ModuleJob): JoinHandle<T>;
export function spawnBlocking(what: ((...args: unknown[]) => unknown) | ModuleJob, ...args: unknown[]): JoinHandle<unknown> {
  return currentHandle().blockingPool.spawn(toJob(what, args));
}
