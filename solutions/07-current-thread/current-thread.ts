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
 */
import { Context, RawWaker, Waker, type RawWakerVTable, type WakerRef } from "#kata/03-waker";
import { Pending, type Future, type Poll } from "#kata/01-poll";
import { OwnedTasks, poll as runTask, type JoinHandle, type RawTask, type Schedule } from "#kata/06-task";
import { budget } from "#kata/14-blocking";
import { CONTEXT, type SchedulerContext } from "#kit/context";
import { VecDeque } from "#kit/vec-deque";
import { Parker } from "#kata/04-block-on";
import { Defer } from "./defer.ts";
import type { Driver, DriverHandle } from "./driver.ts";
import { Handle, type SchedulerHandle } from "./handle.ts";
import { Inject } from "./inject.ts";
import { SchedulerMetrics, WorkerMetrics, type RuntimeMetrics } from "./metrics.ts";

export interface CurrentThreadConfig {
  eventInterval: number;
  globalQueueInterval: number;
}

/** The state only the thread that drives the runtime touches (Tokio's `Core`). */
class Core {
  readonly tasks = new VecDeque<RawTask>(64);
  tick = 0;
  readonly metrics = new WorkerMetrics();

  constructor(readonly driver: Driver) {}
}

/** The scheduler context of a running current-thread worker (Tokio's `current_thread::Context`). */
class WorkerContext implements SchedulerContext {
  core: Core | null = null;
  readonly deferred = new Defer();

  constructor(readonly handle: Handle) {}

  defer(waker: WakerRef): void {
    this.deferred.defer(waker);
  }

  incBudgetForcedYieldCount(): void {
    if (this.core !== null) this.core.metrics.budgetForcedYieldCount++;
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

  spawn<T>(future: Future<T>, id: number): JoinHandle<T> {
    const [join, notified] = this.owned.bind(future, this, id);
    if (notified !== null) this.schedule(notified);
    return join;
  }

  blockOn<T>(future: Future<T>): Promise<T> {
    return this.scheduler.blockOn(future);
  }

  schedule(task: RawTask): void {
    const cx = this.running;
    if (cx !== null && CONTEXT.scheduler === cx && cx.core !== null) {
      const core = cx.core;
      core.tasks.pushBack(task);
      core.metrics.localScheduleCount++;
      core.metrics.localQueueDepth = core.tasks.length;
      return;
    }
    this.schedulerMetrics.remoteScheduleCount++;
    if (this.inject.push(task)) this.driver.unpark();
    else task.dropReference();
  }

  yieldNow(task: RawTask): void {
    this.schedule(task);
  }

  release(task: RawTask): boolean {
    return this.owned.remove(task);
  }

  /** The main future's waker: sets `woken`, and unparks the driver unless called from inside the worker. */
  wakeMain(): void {
    if (this.woken) return;
    this.woken = true;
    if (this.running === null || CONTEXT.scheduler !== this.running) this.driver.unpark();
  }

  metrics(): RuntimeMetrics {
    const worker = this.scheduler.workerMetrics;
    return {
      numWorkers: () => 1,
      numAliveTasks: () => this.owned.length,
      spawnedTasksCount: () => this.owned.spawnedCount,
      globalQueueDepth: () => this.inject.length,
      remoteScheduleCount: () => this.schedulerMetrics.remoteScheduleCount,
      budgetForcedYieldCount: () => worker.budgetForcedYieldCount,
      worker: (i) => {
        if (i !== 0) throw new RangeError(`worker index ${i} out of range: this runtime has 1 worker`);
        return worker;
      },
    };
  }
}

const MAIN_WAKER_VTABLE: RawWakerVTable = {
  clone: (data) => new RawWaker(data, MAIN_WAKER_VTABLE),
  wake: (data) => (data as CurrentThreadHandle).wakeMain(),
  wakeByRef: (data) => (data as CurrentThreadHandle).wakeMain(),
  drop: () => {},
};

/**
 * Polls a `blockOn`'s future under a fresh budget. A future whose poll throws is abandoned: it is disposed (Rust
 * drops it while unwinding, as chapter 04's `blockOn` does; an error of that dispose is discarded) and the poll's
 * error goes on.
 */
function pollMain<T>(future: Future<T>, cx: Context): Poll<T> {
  try {
    return budget(() => future.poll(cx));
  } catch (e) {
    try {
      future[Symbol.dispose]?.();
    } catch {
      // Discarded: the poll's error is the one to report.
    }
    throw e;
  }
}

const PARK = 0;
const PARK_YIELD = 1;
const DONE = 2;
type Step = typeof PARK | typeof PARK_YIELD | typeof DONE;

export class CurrentThread {
  #core: Core | null;
  readonly #handle: CurrentThreadHandle;
  readonly #context: WorkerContext;
  readonly workerMetrics: WorkerMetrics;
  /** Parkers of `blockOn` calls waiting for the core to be free. */
  #coreWaiters: Parker[] = [];
  #shutdown = false;
  /**
   * Every task poll runs inside `budget(f)`. A closure made per poll would be an allocation per poll, so the
   * worker keeps one, `#pollTask`, that polls whichever task `#polling` names.
   */
  #polling: RawTask | null = null;
  readonly #pollTask = (): void => runTask(this.#polling!);

  constructor(driver: Driver, handle: CurrentThreadHandle, publicHandle: Handle) {
    this.#core = new Core(driver);
    this.workerMetrics = this.#core.metrics;
    this.#handle = handle;
    this.#context = new WorkerContext(publicHandle);
    handle.scheduler = this;
  }

  blockOn<T>(future: Future<T>): Promise<T> {
    if (this.#shutdown) return Promise.reject(new Error("blockOn called on a runtime that has been shut down"));
    return this.#blockOn(future);
  }

  async #blockOn<T>(future: Future<T>): Promise<T> {
    for (;;) {
      const core = this.#core;
      if (core !== null) {
        this.#core = null;
        try {
          return await this.#drive(core, future);
        } finally {
          this.#core = core;
          this.#coreWaiters.shift()?.unpark();
        }
      }
      // Someone else drives the runtime: poll our future on our own until it is done or the core is free.
      const parker = new Parker();
      const out = this.#pollOutside(future, new Context(parker.waker()));
      if (out !== Pending) return out;
      this.#coreWaiters.push(parker);
      await parker.park();
      if (this.#shutdown) throw new Error("the runtime was shut down while blockOn was waiting");
    }
  }

  /** Polls a waiting `blockOn`'s future: the runtime is entered (and current), but no worker context is set. */
  #pollOutside<T>(future: Future<T>, cx: Context): T | typeof Pending {
    const prevHandle = CONTEXT.handle;
    const prevEntered = CONTEXT.runtimeEntered;
    CONTEXT.handle = this.#context.handle;
    CONTEXT.runtimeEntered = true;
    try {
      return pollMain(future, cx);
    } finally {
      CONTEXT.handle = prevHandle;
      CONTEXT.runtimeEntered = prevEntered;
    }
  }

  async #drive<T>(core: Core, future: Future<T>): Promise<T> {
    const handle = this.#handle;
    const cx = new Context(Waker.fromRaw(new RawWaker(handle, MAIN_WAKER_VTABLE)));
    const result: { value?: T } = {};
    handle.woken = true;
    for (;;) {
      const started = performance.now();
      const step = this.#enter(core, () => this.#runSome(core, future, cx, result));
      core.metrics.busyDurationMs += performance.now() - started;
      if (step === DONE) return result.value as T;
      if (step === PARK) await this.#park(core);
      else await this.#parkYield(core);
    }
  }

  /** One pass of the worker loop: the main future if woken, then up to `eventInterval` tasks. */
  #runSome<T>(core: Core, future: Future<T>, cx: Context, result: { value?: T }): Step {
    const handle = this.#handle;
    if (handle.woken) {
      handle.woken = false;
      const out = pollMain(future, cx);
      if (out !== Pending) {
        result.value = out;
        return DONE;
      }
    }
    const { eventInterval, globalQueueInterval } = handle.config;
    for (let i = 0; i < eventInterval; i++) {
      core.tick = (core.tick + 1) >>> 0;
      const task = this.#nextTask(core, globalQueueInterval);
      if (task === undefined) return this.#hasPendingWork(core) ? PARK_YIELD : PARK;
      core.metrics.incPoll();
      this.#polling = task;
      budget(this.#pollTask);
    }
    return PARK_YIELD;
  }

  #nextTask(core: Core, globalQueueInterval: number): RawTask | undefined {
    const inject = this.#handle.inject;
    if (core.tick % globalQueueInterval === 0) return inject.pop() ?? this.#nextLocalTask(core);
    return this.#nextLocalTask(core) ?? inject.pop();
  }

  #nextLocalTask(core: Core): RawTask | undefined {
    const task = core.tasks.popFront();
    core.metrics.localQueueDepth = core.tasks.length;
    return task;
  }

  #hasPendingWork(core: Core): boolean {
    return !core.tasks.isEmpty() || !this.#context.deferred.isEmpty() || this.#handle.woken;
  }

  /** Parks until the driver has something, then turns it and wakes the deferred. */
  async #park(core: Core): Promise<void> {
    core.metrics.aboutToPark();
    await core.driver.wait();
    core.metrics.unparked();
    this.#enter(core, () => this.#turn(core));
  }

  /** Turns the driver without waiting; lets Node's event loop run first if events can only come through it. */
  async #parkYield(core: Core): Promise<void> {
    if (core.driver.needsEventLoop || this.#handle.driver.holdsEventLoop) await core.driver.wait(0);
    this.#enter(core, () => this.#turn(core));
  }

  #turn(core: Core): void {
    core.driver.turn();
    this.#context.deferred.wake();
  }

  /** Runs `f` with this worker's context set (Tokio's `Context::enter` plus `context::set_scheduler`). */
  #enter<R>(core: Core, f: () => R): R {
    const ctx = this.#context;
    const prevHandle = CONTEXT.handle;
    const prevScheduler = CONTEXT.scheduler;
    const prevEntered = CONTEXT.runtimeEntered;
    ctx.core = core;
    this.#handle.running = ctx;
    CONTEXT.handle = ctx.handle;
    CONTEXT.scheduler = ctx;
    CONTEXT.runtimeEntered = true;
    try {
      return f();
    } finally {
      CONTEXT.handle = prevHandle;
      CONTEXT.scheduler = prevScheduler;
      CONTEXT.runtimeEntered = prevEntered;
      this.#handle.running = null;
      ctx.core = null;
    }
  }

  /** Shuts the runtime down: every task's future is dropped and its JoinHandle reports cancelled. */
  shutdown(): void {
    if (this.#shutdown) return;
    const core = this.#core;
    if (core === null) {
      throw new Error("cannot shut a runtime down while blockOn is running on it; shut it down after blockOn settles");
    }
    this.#shutdown = true;
    const handle = this.#handle;
    this.#enter(core, () => {
      handle.owned.closeAndShutdownAll();
      for (let t = core.tasks.popFront(); t !== undefined; t = core.tasks.popFront()) t.dropReference();
      handle.inject.close();
      for (let t = handle.inject.pop(); t !== undefined; t = handle.inject.pop()) t.dropReference();
      core.driver.shutdown();
    });
    for (const p of this.#coreWaiters.splice(0)) p.unpark();
  }

  isShutdown(): boolean {
    return this.#shutdown;
  }
}
