/**
 * The multi-thread scheduler's shared state and handle (Tokio's `multi_thread/handle.rs` and the `Shared` half of
 * `worker.rs`): what every worker, and code outside the runtime, may touch.
 *
 * - `spawn` binds the task to the owned list and schedules it; `schedule` is the tasks' `Schedule`;
 * - a task scheduled by a worker of this runtime, during its step, goes to that worker (`scheduleLocal`): into the
 *   LIFO slot (the task it displaces goes to the back of the queue), or to the back of the queue for a yield or
 *   when the LIFO slot is bypassed. Scheduled from anywhere else (a `blockOn`'s future, a Node callback, another
 *   runtime) it goes to the inject queue, and a sleeping worker is woken (`notifyParkedRemote`);
 * - a worker is woken only through `Idle.workerToNotify`: only if nobody is searching;
 * - the local queues hold u32 task indices (chapter 08), so the handle keeps a table from index to task. A task
 *   gets an index when it is spawned and gives it back when it completes (`release`); a released index is reused
 *   only by a later spawn, and no task is in a queue once it has completed;
 * - as the queues' `Overflow`, it moves tasks into the inject queue.
 *
 * Given: the fields, the constructor, `emit` and `metrics`. Yours: the rest (README, Tasks 3 and 4).
 */
import type { Future } from "#kata/01-poll";
import { OwnedTasks, type JoinHandle, type RawTask, type Schedule } from "#kata/06-task";
import {
  Inject,
  SchedulerMetrics,
  WorkerMetrics,
  type DriverHandle,
  type RuntimeMetrics,
  type SchedulerHandle,
} from "#kata/07-current-thread";
import type { Overflow, Steal } from "#kata/08-run-queue";
import { todo } from "#kit/todo";
import { Idle } from "./idle.ts";
import type { MultiThread } from "./multi-thread.ts";
import type { Parker } from "./park.ts";
import type { TraceSink } from "./trace.ts";
import type { Core, Worker } from "./worker.ts";

export interface MultiThreadConfig {
  workerThreads: number;
  eventInterval: number;
  /** Undefined: tuned by each worker from its poll times. */
  globalQueueInterval: number | undefined;
  disableLifoSlot: boolean;
  /** The seed of every random choice (victims, interleaving); undefined: a random seed. */
  rngSeed: number | undefined;
  traceSink: TraceSink | null;
}

/** What other workers may touch of a worker (Tokio's `Remote`): its queue, to steal from, and its parker. */
export interface Remote {
  readonly steal: Steal;
  readonly unpark: Parker;
}

/** Tokio's debugging counters (`multi_thread/counters.rs`), kept per runtime. */
export class Counters {
  /** Polls of a task taken from the LIFO slot right after another poll. */
  lifoSchedules = 0;
  /** Times a worker reached `MAX_LIFO_POLLS_PER_TICK` and bypassed its LIFO slot. */
  lifoCapped = 0;
  maintenance = 0;
  notifyLocal = 0;
  unparksLocal = 0;
  unparksRemote = 0;
}

export class MultiThreadHandle implements SchedulerHandle, Schedule, Overflow {
  readonly flavor = "multi_thread" as const;
  readonly inject = new Inject<RawTask>();
  readonly idle: Idle;
  readonly owned = new OwnedTasks();
  readonly schedulerMetrics = new SchedulerMetrics();
  readonly workerMetrics: WorkerMetrics[];
  readonly counters = new Counters();
  /** One per worker, filled in by the scheduler. */
  readonly remotes: Remote[] = [];
  /** Task index -> task: what the local queues' numbers stand for. */
  readonly tasks: RawTask[] = [];
  // Yours: the free indices (a stack: the last index released is the first reused).
  readonly trace: TraceSink | null;
  /** Steps the interleaver has run: the clock of the trace. */
  stepCount = 0;
  scheduler!: MultiThread;

  constructor(
    readonly driver: DriverHandle,
    readonly config: MultiThreadConfig,
  ) {
    this.idle = new Idle(config.workerThreads);
    this.workerMetrics = Array.from({ length: config.workerThreads }, () => new WorkerMetrics());
    this.trace = config.traceSink;
  }

  /**
   * Binds the future to `owned` (chapter 06); if it was not refused (closed list), gives the task an index in
   * `tasks` (stored in `task.schedulerData`) and schedules it (not a yield). Returns the JoinHandle.
   */
  spawn<T>(future: Future<T>, id: number): JoinHandle<T> {
    return todo("09-work-stealing", "MultiThreadHandle.spawn");
  }

  /** `scheduler.blockOn(future)`. */
  blockOn<T>(future: Future<T>): Promise<T> {
    return todo("09-work-stealing", "MultiThreadHandle.blockOn");
  }

  /** Schedule: a wake. `scheduleTask(task, false)`. */
  schedule(task: RawTask): void {
    return todo("09-work-stealing", "MultiThreadHandle.schedule");
  }

  /** Schedule: a task woken during its own poll, requeued by the harness. `scheduleTask(task, true)`. */
  yieldNow(task: RawTask): void {
    return todo("09-work-stealing", "MultiThreadHandle.yieldNow");
  }

  /** Schedule: the task completed. Removes it from `owned`; if it was there, frees its index; returns that answer. */
  release(task: RawTask): boolean {
    return todo("09-work-stealing", "MultiThreadHandle.release");
  }

  /**
   * If the current scheduler (`CONTEXT.scheduler`) is a worker of this runtime: `scheduleLocal` on it. Otherwise
   * `pushRemoteTask`, then `notifyParkedRemote`.
   */
  scheduleTask(task: RawTask, isYield: boolean): void {
    return todo("09-work-stealing", "MultiThreadHandle.scheduleTask");
  }

  /**
   * Counts `localScheduleCount`. A yield, or a worker whose LIFO slot is bypassed (`!core.lifoEnabled`): push the
   * task's index to the back of the run queue (`pushBackOrOverflow`, this handle as the overflow), and notify.
   * Otherwise the task takes the LIFO slot; a task it displaces goes to the back of the run queue, and only then
   * notify. Notify means `notifyParkedLocal()`, and only if `core.park !== null`. Trace: a `wake` event.
   */
  scheduleLocal(worker: Worker, core: Core, task: RawTask, isYield: boolean): void {
    return todo("09-work-stealing", "MultiThreadHandle.scheduleLocal");
  }

  /** The next task of the inject queue, or undefined. */
  nextRemoteTask(): RawTask | undefined {
    return todo("09-work-stealing", "MultiThreadHandle.nextRemoteTask");
  }

  /**
   * Counts `remoteScheduleCount`, then pushes to the inject queue; a closed queue refuses the task, whose Notified
   * reference must then be dropped (`task.dropReference()`). Trace: a `wake` event with `remote: true`.
   */
  pushRemoteTask(task: RawTask): void {
    return todo("09-work-stealing", "MultiThreadHandle.pushRemoteTask");
  }

  /** Counts `notifyLocal`; if `idle.workerToNotify()` names a worker, counts `unparksLocal` and unparks it; true then. */
  notifyParkedLocal(): boolean {
    return todo("09-work-stealing", "MultiThreadHandle.notifyParkedLocal");
  }

  /** Like `notifyParkedLocal` from outside the workers: counts `unparksRemote` when it unparks one. */
  notifyParkedRemote(): void {
    return todo("09-work-stealing", "MultiThreadHandle.notifyParkedRemote");
  }

  /** The last searcher parked: if any worker's queue (`remote.steal`) or the inject queue holds a task, notify once. */
  notifyIfWorkPending(): void {
    return todo("09-work-stealing", "MultiThreadHandle.notifyIfWorkPending");
  }

  /** `idle.transitionWorkerFromSearching()`; if that was the last searcher, `notifyParkedLocal()` (its answer). */
  transitionWorkerFromSearching(): boolean {
    return todo("09-work-stealing", "MultiThreadHandle.transitionWorkerFromSearching");
  }

  /** Overflow, one task: `pushRemoteTask` of the task with that index (counted as a remote schedule, as in Tokio). */
  push(index: number): void {
    return todo("09-work-stealing", "MultiThreadHandle.push");
  }

  /** Overflow, a batch: each task to the inject queue, not counted; dropped if refused. Trace: one `overflow` event. */
  pushBatch(indices: Iterable<number>): void {
    return todo("09-work-stealing", "MultiThreadHandle.pushBatch");
  }

  /** Reports an event that has no field of its own. Given. */
  emit(worker: number, kind: "maintenance" | "unpark" | "idle"): void {
    if (this.trace !== null) this.trace({ step: this.stepCount, worker, kind });
  }

  /** Forgets every task index (after shutdown, when no queue holds any): empties `tasks` and the free indices. */
  clearTasks(): void {
    return todo("09-work-stealing", "MultiThreadHandle.clearTasks");
  }

  metrics(): RuntimeMetrics {
    const workers = this.workerMetrics;
    return {
      numWorkers: () => workers.length,
      numAliveTasks: () => this.owned.length,
      spawnedTasksCount: () => this.owned.spawnedCount,
      globalQueueDepth: () => this.inject.length,
      remoteScheduleCount: () => this.schedulerMetrics.remoteScheduleCount,
      budgetForcedYieldCount: () => workers.reduce((n, w) => n + w.budgetForcedYieldCount, 0),
      worker: (i) => {
        const w = workers[i];
        if (w === undefined) throw new RangeError(`worker index ${i} out of range: this runtime has ${workers.length} workers`);
        return w;
      },
    };
  }
}
