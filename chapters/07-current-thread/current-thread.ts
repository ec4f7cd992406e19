/**
 * The current-thread scheduler (Tokio's `runtime/scheduler/current_thread/mod.rs`).
 *
 * One worker, two queues: a local FIFO for tasks scheduled from inside the runtime, and the inject queue for
 * tasks scheduled from outside (another runtime, a Node callback). `blockOn` is the worker loop:
 *
 *     loop:
 *       if the main future was woken: poll it (under a fresh budget); done? return its output
 *       repeat eventInterval (61) times:
 *         tick; take the next task: every globalQueueInterval (31) ticks the inject queue first, else local first
 *         none? park (or, if work is pending, park_yield) and start the outer loop again
 *         run it: one poll under a fresh budget of 128
 *       park_yield: turn the driver without waiting (I/O events, timers), then wake the deferred
 *
 * The main future is polled only when its waker was used, never just because a task ran. Parking awaits the
 * driver; everything else is synchronous, and the scheduler context (`#kit/context`) is set only while it runs,
 * so a wake from inside a task is a local schedule and a wake from a Node callback is a remote one.
 *
 * Tasks 3 (scheduling), 4 (the loop) and 5 (shutdown) of the lesson. The classes' fields and constructors are
 * given; the private methods of `CurrentThread` (`#drive`, `#runSome`, `#nextTask`, `#park`, `#parkYield`,
 * `#enter`, ...) are yours to write.
 */
import type { WakerRef } from "#kata/03-waker";
import type { Future } from "#kata/01-poll";
import { OwnedTasks, type JoinHandle, type RawTask, type Schedule } from "#kata/06-task";
import type { SchedulerContext } from "#kit/context";
import { todo } from "#kit/todo";
import { VecDeque } from "#kit/vec-deque";
import type { Parker } from "#kata/04-block-on";
import { Defer } from "./defer.ts";
import type { Driver, DriverHandle } from "./driver.ts";
import type { Handle, SchedulerHandle } from "./handle.ts";
import { Inject } from "./inject.ts";
import { SchedulerMetrics, WorkerMetrics, type RuntimeMetrics } from "./metrics.ts";

export interface CurrentThreadConfig {
  eventInterval: number;
  globalQueueInterval: number;
}

/** The state only the thread that drives the runtime touches (Tokio's `Core`). */
class Core {
  /** The local run queue. */
  readonly tasks = new VecDeque<RawTask>(64);
  /** Incremented (wrapping at 2^32) before each task is taken. */
  tick = 0;
  readonly metrics = new WorkerMetrics();

  constructor(readonly driver: Driver) {}
}

/**
 * The scheduler context of a running current-thread worker (Tokio's `current_thread::Context`): what
 * `CONTEXT.scheduler` points at while the worker runs. `core` is set only while the worker runs.
 */
class WorkerContext implements SchedulerContext {
  core: Core | null = null;
  readonly deferred = new Defer();

  constructor(readonly handle: Handle) {}

  /** Defers `waker` until after the next driver turn. */
  defer(waker: WakerRef): void {
    return todo("07-current-thread", "WorkerContext.defer");
  }

  /** Counts a forced yield in the worker's metrics (`budgetForcedYieldCount`), if the core is here. */
  incBudgetForcedYieldCount(): void {
    return todo("07-current-thread", "WorkerContext.incBudgetForcedYieldCount");
  }
}

export class CurrentThreadHandle implements SchedulerHandle, Schedule {
  readonly flavor = "current_thread" as const;
  readonly inject = new Inject<RawTask>();
  readonly owned = new OwnedTasks();
  readonly schedulerMetrics = new SchedulerMetrics();
  /** Set when the main future's waker is used; the loop polls the main future only then. */
  woken = false;
  /** Filled in by the scheduler: the context of its worker while it runs (null otherwise). */
  running: WorkerContext | null = null;
  scheduler!: CurrentThread;

  constructor(
    readonly driver: DriverHandle,
    readonly config: CurrentThreadConfig,
  ) {}

  /** Binds the future in `owned` (with this as its scheduler and the given id) and schedules it unless refused. */
  spawn<T>(future: Future<T>, id: number): JoinHandle<T> {
    return todo("07-current-thread", "CurrentThreadHandle.spawn");
  }

  /** `scheduler.blockOn(future)`. */
  blockOn<T>(future: Future<T>): Promise<T> {
    return todo("07-current-thread", "CurrentThreadHandle.blockOn");
  }

  /**
   * From this runtime's worker (its context is `CONTEXT.scheduler` and the core is there): push to the back of
   * the local queue and count `localScheduleCount`. From anywhere else: count `remoteScheduleCount`, push to
   * inject and `driver.unpark()`; if inject refuses (closed), drop the task's reference.
   */
  schedule(task: RawTask): void {
    return todo("07-current-thread", "CurrentThreadHandle.schedule");
  }

  /** A task woken during its own poll: the same as `schedule` (this scheduler has no LIFO slot). */
  yieldNow(task: RawTask): void {
    return todo("07-current-thread", "CurrentThreadHandle.yieldNow");
  }

  /** `owned.remove(task)`. */
  release(task: RawTask): boolean {
    return todo("07-current-thread", "CurrentThreadHandle.release");
  }

  /** The main future's wake: sets `woken` (once) and unparks the driver unless called from this worker. */
  wakeMain(): void {
    return todo("07-current-thread", "CurrentThreadHandle.wakeMain");
  }

  /**
   * One worker: `numWorkers` 1, `numAliveTasks` and `spawnedTasksCount` from `owned`, `globalQueueDepth` from
   * inject, `remoteScheduleCount` from `schedulerMetrics`, `budgetForcedYieldCount` and `worker(0)` from the
   * worker's metrics (`worker(i)` for any other `i` throws a RangeError).
   */
  metrics(): RuntimeMetrics {
    return todo("07-current-thread", "CurrentThreadHandle.metrics");
  }
}

export class CurrentThread {
  /** The core, or null while a `blockOn` holds it. */
  #core: Core | null;
  readonly #handle: CurrentThreadHandle;
  readonly #context: WorkerContext;
  readonly workerMetrics: WorkerMetrics;
  /** Parkers of `blockOn` calls waiting for the core to be free. */
  #coreWaiters: Parker[] = [];
  #shutdown = false;

  constructor(driver: Driver, handle: CurrentThreadHandle, publicHandle: Handle) {
    this.#core = new Core(driver);
    this.workerMetrics = this.#core.metrics;
    this.#handle = handle;
    this.#context = new WorkerContext(publicHandle);
    handle.scheduler = this;
  }

  /**
   * Drives the runtime until `future` completes (the loop above). Rejects if the runtime was shut down. If another
   * `blockOn` holds the core, polls `future` on its own (with the runtime current and entered, under a budget)
   * until it completes or the core is free.
   */
  blockOn<T>(future: Future<T>): Promise<T> {
    return todo("07-current-thread", "CurrentThread.blockOn");
  }

  /**
   * Throws if a `blockOn` holds the core. Otherwise, once, with the worker's context set: close `owned` and shut
   * every task down, drop the references of the tasks left in the local queue, close inject and drop what it
   * holds, shut the driver down; then wake any `blockOn` waiting for the core (they reject).
   */
  shutdown(): void {
    return todo("07-current-thread", "CurrentThread.shutdown");
  }

  isShutdown(): boolean {
    return todo("07-current-thread", "CurrentThread.isShutdown");
  }
}
