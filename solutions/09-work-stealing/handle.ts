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
import { CONTEXT } from "#kit/context";
import { Idle } from "./idle.ts";
import type { MultiThread } from "./multi-thread.ts";
import type { Parker } from "./park.ts";
import type { TraceSink } from "./trace.ts";
import { Worker, type Core } from "./worker.ts";

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
  readonly #freeIndices: number[] = [];
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

  spawn<T>(future: Future<T>, id: number): JoinHandle<T> {
    const [join, notified] = this.owned.bind(future, this, id);
    if (notified !== null) {
      notified.schedulerData = this.#allocIndex(notified);
      this.scheduleTask(notified, false);
    }
    return join;
  }

  blockOn<T>(future: Future<T>): Promise<T> {
    return this.scheduler.blockOn(future);
  }

  // Schedule: what the tasks' harness and wakers call.

  schedule(task: RawTask): void {
    this.scheduleTask(task, false);
  }

  yieldNow(task: RawTask): void {
    this.scheduleTask(task, true);
  }

  release(task: RawTask): boolean {
    if (!this.owned.remove(task)) return false;
    this.#freeIndices.push(task.schedulerData);
    return true;
  }

  scheduleTask(task: RawTask, isYield: boolean): void {
    const cx = CONTEXT.scheduler;
    if (cx instanceof Worker && cx.shared === this) {
      this.scheduleLocal(cx, cx.core, task, isYield);
      return;
    }
    this.pushRemoteTask(task);
    this.notifyParkedRemote();
  }

  scheduleLocal(worker: Worker, core: Core, task: RawTask, isYield: boolean): void {
    core.metrics.localScheduleCount++;
    let shouldNotify: boolean;
    const toLifo = !isYield && core.lifoEnabled;
    if (!toLifo) {
      core.runQueue.pushBackOrOverflow(task.schedulerData, this, core.metrics);
      shouldNotify = true;
    } else {
      const prev = core.lifoSlot;
      shouldNotify = prev !== null;
      if (prev !== null) core.runQueue.pushBackOrOverflow(prev.schedulerData, this, core.metrics);
      core.lifoSlot = task;
    }
    if (this.trace !== null) {
      this.trace({ step: this.stepCount, worker: worker.index, kind: "wake", task: task.id, remote: false, lifo: toLifo });
    }
    // While the worker turns the driver (its park is taken) it notifies nobody; it catches up afterwards.
    if (shouldNotify && core.park !== null) this.notifyParkedLocal();
  }

  nextRemoteTask(): RawTask | undefined {
    return this.inject.pop();
  }

  pushRemoteTask(task: RawTask): void {
    this.schedulerMetrics.remoteScheduleCount++;
    if (this.trace !== null) {
      this.trace({ step: this.stepCount, worker: currentWorker(this), kind: "wake", task: task.id, remote: true, lifo: false });
    }
    // A closed inject queue (shutdown) refuses the task: its Notified reference is dropped here.
    if (!this.inject.push(task)) task.dropReference();
  }

  /** Wakes a sleeping worker if nobody is searching; true if one was woken. */
  notifyParkedLocal(): boolean {
    this.counters.notifyLocal++;
    const index = this.idle.workerToNotify();
    if (index === undefined) return false;
    this.counters.unparksLocal++;
    this.remotes[index]!.unpark.unpark();
    return true;
  }

  notifyParkedRemote(): void {
    const index = this.idle.workerToNotify();
    if (index === undefined) return;
    this.counters.unparksRemote++;
    this.remotes[index]!.unpark.unpark();
  }

  /** The last searcher parked: if any queue still has work, wake someone for it. */
  notifyIfWorkPending(): void {
    for (const remote of this.remotes) {
      if (!remote.steal.isEmpty()) {
        this.notifyParkedLocal();
        return;
      }
    }
    if (!this.inject.isEmpty()) this.notifyParkedLocal();
  }

  /** A searcher found work; the last one to do so wakes another worker. */
  transitionWorkerFromSearching(): boolean {
    return this.idle.transitionWorkerFromSearching() ? this.notifyParkedLocal() : false;
  }

  // Overflow: a full local queue sends tasks here (Tokio's `impl Overflow for Handle`).

  push(index: number): void {
    this.pushRemoteTask(this.tasks[index]!);
  }

  pushBatch(indices: Iterable<number>): void {
    let count = 0;
    for (const index of indices) {
      const task = this.tasks[index]!;
      if (!this.inject.push(task)) task.dropReference();
      count++;
    }
    if (this.trace !== null) {
      this.trace({ step: this.stepCount, worker: currentWorker(this), kind: "overflow", count });
    }
  }

  /** Reports an event that has no field of its own. */
  emit(worker: number, kind: "maintenance" | "unpark" | "idle"): void {
    if (this.trace !== null) this.trace({ step: this.stepCount, worker, kind });
  }

  /** Forgets every task index (after shutdown, when no queue holds any). */
  clearTasks(): void {
    this.tasks.length = 0;
    this.#freeIndices.length = 0;
  }

  #allocIndex(task: RawTask): number {
    const index = this.#freeIndices.pop() ?? this.tasks.length;
    this.tasks[index] = task;
    return index;
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

/** The index of the worker of `handle` running now, or -1. */
function currentWorker(handle: MultiThreadHandle): number {
  const cx = CONTEXT.scheduler;
  return cx instanceof Worker && cx.shared === handle ? cx.index : -1;
}
