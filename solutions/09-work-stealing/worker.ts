/**
 * A worker of the multi-thread scheduler (Tokio's `runtime/scheduler/multi_thread/worker.rs`): its core (the
 * queues and counters only it touches) and its loop.
 *
 * Tokio's loop, per turn (`Context::run`):
 *
 *     tick += 1
 *     every eventInterval (61) ticks: maintenance = park_yield (turn the driver if free) + check for shutdown
 *     task = next_task():  every globalQueueInterval ticks: inject queue, then LIFO slot, then local queue
 *                          otherwise: LIFO slot, local queue, then a batch from the inject queue
 *     found?  run_task: poll it, then up to 3 tasks from the LIFO slot under the same budget
 *     else    steal_work: if fewer than half the workers search, become a searcher; steal half of a queue,
 *                         starting at a random victim (FastRand), else one task from the inject queue
 *     found?  run_task    else: park_yield if wakes are deferred, else park
 *
 * Our workers are logical: a seeded interleaver (`multi-thread.ts`) runs one *step* of one worker at a time, so the
 * loop is written as a state machine whose phase says where the next step resumes. A step does at most one task
 * poll, and the decisions between polls (searching, parking) are steps of their own, so that another worker can act
 * between any two of them, as a real thread could:
 *
 *     RUN ──task──► LIFO (poll) ──LIFO slot has a task and budget is left──► LIFO (poll)
 *      │              └──otherwise──► RUN
 *      └──none──► SEARCH ──stole──► LIFO (poll)
 *                   └──none──► PARK ──has tasks again──► RUN
 *                                └──blocked──► PARKED ──woken──► RUN, or parks again
 *
 * Invariants: a worker's core is touched only by its own steps; the LIFO slot holds at most one task and is never
 * stolen; `isSearching` is true exactly while the worker is counted as searching in `Idle`; while the worker turns
 * the driver its `park` is taken (`core.park === null`), so the wakes it causes push locally without notifying.
 */
import type { WakerRef } from "#kata/03-waker";
import { poll, type RawTask } from "#kata/06-task";
import { Defer, type Handle, type WorkerMetrics } from "#kata/07-current-thread";
import type { Local } from "#kata/08-run-queue";
import { budget, budgetRemaining, restore, stop, type RestoreOnPending } from "#kata/14-blocking";
import { CONTEXT, type SchedulerContext } from "#kit/context";
import type { MultiThreadHandle } from "./handle.ts";
import type { Parker } from "./park.ts";
import type { FastRand } from "./rand.ts";
import type { Stats } from "./stats.ts";
import type { PollSource } from "./trace.ts";

/** At most this many polls in a row come from the LIFO slot; then it is bypassed until a task from a queue runs. */
export const MAX_LIFO_POLLS_PER_TICK = 3;

/** Where a worker's next step resumes. */
export const RUN = 0;
export const LIFO = 1;
export const SEARCH = 2;
export const PARK = 3;
export const PARKED = 4;
export const DONE = 5;
export type Phase = typeof RUN | typeof LIFO | typeof SEARCH | typeof PARK | typeof PARKED | typeof DONE;

/** The state only the worker itself touches (Tokio's `Core`). */
export class Core {
  /** Turns of the loop, wrapping at 2^32. */
  tick = 0;
  /** The task to run next, ahead of the queue: the last one scheduled by this worker. */
  lifoSlot: RawTask | null = null;
  lifoEnabled: boolean;
  isSearching = false;
  isShutdown = false;
  /** The parker; null while the worker is inside it (parked, or turning the driver). */
  park: Parker | null;
  globalQueueInterval: number;

  constructor(
    readonly runQueue: Local,
    park: Parker,
    readonly stats: Stats,
    readonly rand: FastRand,
    readonly lifoSlotDisabled: boolean,
  ) {
    this.park = park;
    this.lifoEnabled = !lifoSlotDisabled;
    this.globalQueueInterval = stats.tunedGlobalQueueInterval();
  }

  get metrics(): WorkerMetrics {
    return this.stats.metrics;
  }

  hasTasks(): boolean {
    return this.lifoSlot !== null || this.runQueue.hasTasks();
  }

  /** True if the worker holds more than one task and is not searching: then another worker should come and steal. */
  shouldNotifyOthers(): boolean {
    if (this.isSearching) return false;
    return (this.lifoSlot !== null ? 1 : 0) + this.runQueue.len() > 1;
  }

  /** Publishes the counters and notices shutdown (Tokio's `Core::maintenance`). */
  maintenance(shared: MultiThreadHandle): void {
    this.metrics.localQueueDepth = this.runQueue.len();
    if (!this.isShutdown) this.isShutdown = shared.inject.isClosed();
  }

  /** Adopts the tuned interval only when it moved by more than 2, so it does not flap. */
  tuneGlobalQueueInterval(): void {
    const next = this.stats.tunedGlobalQueueInterval();
    if (Math.abs(this.globalQueueInterval - next) > 2) this.globalQueueInterval = next;
  }
}

export class Worker implements SchedulerContext {
  phase: Phase = RUN;
  /** Managed by the interleaver: the worker is in its list of runnable threads. */
  runnable = false;
  /** Managed by the timed interleaver: the worker's virtual clock, in ms. */
  clock = 0;
  /** Wakers to wake after the next driver turn (`yieldNow`, an exhausted budget). */
  readonly deferred = new Defer();
  /** The parker while the worker is blocked in it. */
  #parked: Parker | null = null;
  /** The task being polled, read by the poll functions below (bound once: no closure per poll). */
  #task: RawTask | null = null;
  #source: PollSource = "local";
  /** Budget left after the last poll of the current run_task (-1: unconstrained), for the next LIFO poll. */
  #budget = 0;
  #lifoPolls = 0;
  /** Scratch for moving a batch from the inject queue into the local queue. */
  readonly #batch: number[] = [];
  readonly #step = () => this.#stepInner();
  readonly #pollFirst = () => this.#pollTask();
  readonly #pollChained = () => {
    // Tokio runs the whole LIFO chain inside one `coop::budget`: give this poll what the last one left.
    if (this.#budget < 0) stop();
    else restore(this.#budget as RestoreOnPending);
    return this.#pollTask();
  };

  constructor(
    readonly index: number,
    readonly shared: MultiThreadHandle,
    /** The runtime's public handle: `Handle.current()` while this worker runs. */
    readonly handle: Handle,
    readonly core: Core,
  ) {}

  // SchedulerContext: what code inside a task poll asks of the running worker.

  defer(waker: WakerRef): void {
    this.deferred.defer(waker);
  }

  incBudgetForcedYieldCount(): void {
    this.core.metrics.budgetForcedYieldCount++;
  }

  /** Runs `f` with this worker as the current scheduler (Tokio's `context::set_scheduler`). */
  enter<R>(f: () => R): R {
    const prevHandle = CONTEXT.handle;
    const prevScheduler = CONTEXT.scheduler;
    const prevEntered = CONTEXT.runtimeEntered;
    CONTEXT.handle = this.handle;
    CONTEXT.scheduler = this;
    CONTEXT.runtimeEntered = true;
    try {
      return f();
    } finally {
      CONTEXT.handle = prevHandle;
      CONTEXT.scheduler = prevScheduler;
      CONTEXT.runtimeEntered = prevEntered;
    }
  }

  /** One step: resumes the loop where the last step left it. */
  step(): void {
    this.enter(this.#step);
  }

  #stepInner(): void {
    const core = this.core;
    switch (this.phase) {
      case RUN:
        return this.#run(core);
      case LIFO:
        return this.#lifo(core);
      case SEARCH:
        return this.#search(core);
      case PARK:
        return this.#park(core);
      case PARKED:
        return this.#unparked(core);
      case DONE:
        return;
    }
  }

  /** A turn of the loop, up to the first poll or the failed look at its own queues. */
  #run(core: Core): void {
    if (core.isShutdown) {
      this.phase = DONE;
      this.shared.scheduler.block(this);
      return;
    }
    core.tick = (core.tick + 1) >>> 0;
    if (core.tick % this.shared.config.eventInterval === 0) this.#maintenance(core);
    const task = this.#nextTask(core);
    if (task !== undefined) {
      this.#runTask(core, task);
      return;
    }
    core.stats.endProcessingScheduledTasks();
    this.phase = SEARCH;
  }

  #maintenance(core: Core): void {
    this.shared.counters.maintenance++;
    this.shared.emit(this.index, "maintenance");
    core.stats.endProcessingScheduledTasks();
    this.#parkYield(core, true);
    core.maintenance(this.shared);
    core.stats.startProcessingScheduledTasks();
  }

  #nextTask(core: Core): RawTask | undefined {
    const shared = this.shared;
    if (core.tick % core.globalQueueInterval === 0) {
      core.tuneGlobalQueueInterval();
      const remote = shared.nextRemoteTask();
      if (remote !== undefined) {
        this.#source = "inject";
        return remote;
      }
      return this.#nextLocalTask(core);
    }
    const local = this.#nextLocalTask(core);
    if (local !== undefined || shared.inject.isEmpty()) return local;
    // Take a fair share of the inject queue: run the first, queue the rest (they fit: at most half the ring).
    const queue = core.runQueue;
    const cap = Math.min(queue.remainingSlots(), queue.maxCapacity() / 2);
    const n = Math.max(1, Math.min(Math.floor(shared.inject.length / shared.remotes.length) + 1, cap));
    const first = shared.inject.pop()!;
    const batch = this.#batch;
    let count = 0;
    for (; count < n - 1; count++) {
      const task = shared.inject.pop();
      if (task === undefined) break;
      batch[count] = task.schedulerData;
    }
    queue.pushBack(batch, count);
    this.#source = "inject";
    return first;
  }

  #nextLocalTask(core: Core): RawTask | undefined {
    const lifo = core.lifoSlot;
    if (lifo !== null) {
      core.lifoSlot = null;
      this.#source = "lifo";
      return lifo;
    }
    const index = core.runQueue.pop();
    if (index === undefined) return undefined;
    this.#source = "local";
    return this.shared.tasks[index];
  }

  /** Tokio's `run_task`, first half: stop searching, poll the task; the LIFO slot is looked at next step. */
  #runTask(core: Core, task: RawTask): void {
    this.#transitionFromSearching(core);
    core.stats.startPoll();
    this.#task = task;
    this.#lifoPolls = 0;
    this.#budget = budget(this.#pollFirst);
    this.phase = LIFO;
  }

  /** Tokio's `run_task`, the loop after the first poll: one task from the LIFO slot per step, same budget. */
  #lifo(core: Core): void {
    const task = core.lifoSlot;
    if (task === null) {
      core.lifoEnabled = !core.lifoSlotDisabled;
      this.phase = RUN;
      this.#run(core);
      return;
    }
    core.lifoSlot = null;
    if (this.#budget === 0) {
      // Out of budget: the LIFO task waits its turn at the back of the queue.
      core.runQueue.pushBackOrOverflow(task.schedulerData, this.shared, core.metrics);
      this.phase = RUN;
      this.#run(core);
      return;
    }
    this.#lifoPolls++;
    this.shared.counters.lifoSchedules++;
    if (this.#lifoPolls >= MAX_LIFO_POLLS_PER_TICK) {
      core.lifoEnabled = false;
      this.shared.counters.lifoCapped++;
    }
    this.#task = task;
    this.#source = "lifo";
    this.#budget = budget(this.#pollChained);
  }

  /** Polls `#task` (inside `budget`); returns the budget left, -1 if unconstrained. */
  #pollTask(): number {
    const task = this.#task!;
    this.#task = null;
    const shared = this.shared;
    if (shared.trace !== null) {
      shared.trace({ step: shared.stepCount, worker: this.index, kind: "poll", task: task.id, source: this.#source });
    }
    poll(task);
    if (shared.trace !== null) {
      const complete = task.state.isComplete();
      shared.trace({ step: shared.stepCount, worker: this.index, kind: "poll-end", task: task.id, complete });
    }
    return budgetRemaining() ?? -1;
  }

  /** Nothing in its own queues: steal, or take from the inject queue, or get ready to park. */
  #search(core: Core): void {
    const task = this.#stealWork(core);
    if (task !== undefined) {
      core.stats.startProcessingScheduledTasks();
      this.#runTask(core, task);
      return;
    }
    if (!this.deferred.isEmpty()) {
      this.#parkYield(core, false);
      core.stats.startProcessingScheduledTasks();
      this.phase = RUN;
      return;
    }
    this.phase = PARK;
  }

  #stealWork(core: Core): RawTask | undefined {
    if (!this.#transitionToSearching(core)) return undefined;
    const remotes = this.shared.remotes;
    const num = remotes.length;
    const start = core.rand.fastrandN(num);
    for (let i = 0; i < num; i++) {
      const victim = (start + i) % num;
      if (victim === this.index) continue;
      const before = core.metrics.stealCount;
      const index = remotes[victim]!.steal.stealInto(core.runQueue, core.metrics);
      if (index !== undefined) {
        const shared = this.shared;
        if (shared.trace !== null) {
          const count = core.metrics.stealCount - before;
          shared.trace({ step: shared.stepCount, worker: this.index, kind: "steal", victim, count });
        }
        this.#source = "steal";
        return shared.tasks[index];
      }
    }
    const remote = this.shared.nextRemoteTask();
    if (remote !== undefined) this.#source = "inject";
    return remote;
  }

  /** Tokio's `Context::park`: park until there is work, unless there is some already. */
  #park(core: Core): void {
    if (!this.#transitionToParked(core)) {
      core.stats.startProcessingScheduledTasks();
      this.phase = RUN;
      return;
    }
    this.#parkLoop(core);
  }

  /** The loop inside `Context::park`: park, and park again while woken for nothing. */
  #parkLoop(core: Core): void {
    for (;;) {
      if (core.isShutdown) {
        this.phase = RUN;
        return;
      }
      core.metrics.aboutToPark();
      core.maintenance(this.shared);
      const park = core.park!;
      core.park = null;
      if (park.park()) {
        this.#parked = park;
        this.phase = PARKED;
        this.shared.scheduler.block(this);
        if (this.shared.trace !== null) {
          const driver = park.shared.holder === this.index;
          this.shared.trace({ step: this.shared.stepCount, worker: this.index, kind: "park", driver });
        }
        return;
      }
      this.#afterParkInternal(core, park);
      if (this.#afterPark(core)) return;
    }
  }

  /** The interleaver resumed the worker: it was woken, or the driver it slept in returned. */
  #unparked(core: Core): void {
    const park = this.#parked!;
    this.#parked = null;
    this.shared.emit(this.index, "unpark");
    park.resume();
    this.#afterParkInternal(core, park);
    if (this.#afterPark(core)) return;
    this.#parkLoop(core);
  }

  /** `park_internal(0)`: turn the driver if nobody holds it. */
  #parkYield(core: Core, maintenance: boolean): void {
    const park = core.park!;
    core.park = null;
    const turned = park.parkYield();
    // A worker asleep in the driver would be woken by the OS when a timer is due; here nothing interrupts a step,
    // so a maintenance that finds the driver taken lets its holder run and turn it (if there are timers at all).
    if (!turned && maintenance && this.shared.driver.time !== null) this.shared.scheduler.resumeDriverHolder();
    this.#afterParkInternal(core, park);
    if (park.shared.driver.needsEventLoop || this.shared.driver.holdsEventLoop) this.shared.scheduler.wantEventLoop();
  }

  /** The end of `park_internal`: wake what was deferred, take the parker back, ask for help if work was left. */
  #afterParkInternal(core: Core, park: Parker): void {
    this.deferred.wake();
    core.park = park;
    if (core.shouldNotifyOthers()) this.shared.notifyParkedLocal();
  }

  /** After a park returned: true (and phase RUN) if the worker should run again, false to park again. */
  #afterPark(core: Core): boolean {
    core.metrics.unparked();
    core.maintenance(this.shared);
    if (!this.#transitionFromParked(core)) return false;
    core.stats.startProcessingScheduledTasks();
    this.phase = RUN;
    return true;
  }

  #transitionToSearching(core: Core): boolean {
    if (!core.isSearching) {
      core.isSearching = this.shared.idle.transitionWorkerToSearching();
      if (core.isSearching) this.#traceSearching(true);
    }
    return core.isSearching;
  }

  #transitionFromSearching(core: Core): void {
    if (!core.isSearching) return;
    core.isSearching = false;
    this.#traceSearching(false);
    this.shared.transitionWorkerFromSearching();
  }

  /** False (stay awake) if the worker has tasks; otherwise counts it parked, and the last searcher re-checks. */
  #transitionToParked(core: Core): boolean {
    if (core.hasTasks()) return false;
    const wasSearching = core.isSearching;
    const isLastSearcher = this.shared.idle.transitionWorkerToParked(this.index, wasSearching);
    core.isSearching = false;
    if (wasSearching) this.#traceSearching(false);
    if (isLastSearcher) this.shared.notifyIfWorkPending();
    return true;
  }

  /** True if the worker runs again: it has tasks, or it was woken by a notification (and then it searches). */
  #transitionFromParked(core: Core): boolean {
    const idle = this.shared.idle;
    if (core.hasTasks()) {
      core.isSearching = !idle.unparkWorkerById(this.index);
      if (core.isSearching) this.#traceSearching(true);
      return true;
    }
    if (idle.isParked(this.index)) return false;
    core.isSearching = true;
    this.#traceSearching(true);
    return true;
  }

  #traceSearching(searching: boolean): void {
    const shared = this.shared;
    if (shared.trace !== null) shared.trace({ step: shared.stepCount, worker: this.index, kind: "search", searching });
  }

  /** Runtime shutdown: drops the tasks still in the LIFO slot and the queue (Tokio's `Core::shutdown`). */
  shutdownCore(): void {
    const core = this.core;
    core.isShutdown = true;
    this.phase = DONE;
    for (let t = this.#nextLocalTask(core); t !== undefined; t = this.#nextLocalTask(core)) t.dropReference();
  }
}
