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
 *
 * Given: the constants, the core's fields, the worker's constructor and its `SchedulerContext` plumbing (`defer`,
 * `incBudgetForcedYieldCount`, `enter`). Yours: the core's four methods, `step` and `shutdownCore` (README, Tasks
 * 3 and 4).
 */
import type { WakerRef } from "#kata/03-waker";
import type { RawTask } from "#kata/06-task";
import { Defer, type Handle, type WorkerMetrics } from "#kata/07-current-thread";
import type { Local } from "#kata/08-run-queue";
import { CONTEXT, type SchedulerContext } from "#kit/context";
import { todo } from "#kit/todo";
import type { MultiThreadHandle } from "./handle.ts";
import type { Parker } from "./park.ts";
import type { FastRand } from "./rand.ts";
import type { Stats } from "./stats.ts";

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

  /** True if the LIFO slot or the run queue holds a task. */
  hasTasks(): boolean {
    return todo("09-work-stealing", "Core.hasTasks");
  }

  /** False while searching; else true if the LIFO slot and the run queue together hold more than one task. */
  shouldNotifyOthers(): boolean {
    return todo("09-work-stealing", "Core.shouldNotifyOthers");
  }

  /** Tokio's `Core::maintenance`: `metrics.localQueueDepth = runQueue.len()`; notice a closed inject queue (shutdown). */
  maintenance(shared: MultiThreadHandle): void {
    return todo("09-work-stealing", "Core.maintenance");
  }

  /** Adopts `stats.tunedGlobalQueueInterval()` only if it differs from the current interval by more than 2. */
  tuneGlobalQueueInterval(): void {
    return todo("09-work-stealing", "Core.tuneGlobalQueueInterval");
  }
}

export class Worker implements SchedulerContext {
  phase: Phase = RUN;
  /** Managed by the interleaver: the worker is in its list of runnable threads. */
  runnable = false;
  /** Wakers to wake after the next driver turn (`yieldNow`, an exhausted budget). */
  readonly deferred = new Defer();
  // Yours, as private fields: the parker while blocked in it; the task being polled and where it came from (for the
  // trace); the budget the last poll of a LIFO chain left; the number of LIFO polls in this chain; a scratch array
  // for batches from the inject queue; and functions bound once (no closure per poll) for `enter` and `budget`.
  // To give a LIFO poll what the previous poll left: inside `budget(f)`, `restore(left as RestoreOnPending)` installs
  // `left` units (and `stop()` makes the budget unconstrained, if `budgetRemaining()` was undefined).

  constructor(
    readonly index: number,
    readonly shared: MultiThreadHandle,
    /** The runtime's public handle: `Handle.current()` while this worker runs. */
    readonly handle: Handle,
    readonly core: Core,
  ) {}

  // SchedulerContext: what code inside a task poll asks of the running worker. Given.

  defer(waker: WakerRef): void {
    this.deferred.defer(waker);
  }

  incBudgetForcedYieldCount(): void {
    this.core.metrics.budgetForcedYieldCount++;
  }

  /** Runs `f` with this worker as the current scheduler (Tokio's `context::set_scheduler`). Given. */
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

  /**
   * One step, inside `enter`: resumes the loop where the last step left it (`phase`), and stops after at most one
   * task poll or at a decision point. README, Tasks 3 and 4, give the exact behaviour of each phase.
   */
  step(): void {
    return todo("09-work-stealing", "Worker.step");
  }

  /**
   * Runtime shutdown (Tokio's `Core::shutdown`): marks the core shut down and the phase DONE, and drops the tasks still
   * in the LIFO slot and the run queue (`task.dropReference()`: their Notified references).
   */
  shutdownCore(): void {
    return todo("09-work-stealing", "Worker.shutdownCore");
  }
}
