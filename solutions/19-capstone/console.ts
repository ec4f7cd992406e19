/**
 * `Console`: tokio-console in miniature. It tracks the tasks whose futures it wrapped and lints them the way the
 * console's warnings do.
 *
 *     const console = new Console();
 *     console.spawn(acceptLoop(listener), "accept");      // spawn(console.instrument(fut, "accept"))
 *     ...
 *     for (const w of console.warnings()) log(w.message);  // "This task has lost its waker, ..."
 *
 * The wrapper (`Traced`) does what console-subscriber learns from Tokio's tracing instrumentation:
 * - each poll: `startPoll(now)`, poll the inner future, `endPoll(now)`; ready, thrown or disposed: `drop(now)`;
 * - the inner future is polled with the console's waker for the task, made once: cloning it counts a clone,
 *   dropping it a drop, waking it a wake (a wake by value also a drop). Every wake is passed on to the task's real
 *   waker, a clone of which the wrapper keeps (replaced when a poll brings one that would not wake the same task,
 *   dropped when the task is done). A wake that happens while the wrapper is polling this task is a self-wake.
 *
 * Lints (`warnings.ts`), as tokio-console's `warnings.rs`: a task that woke itself more than 50% of the time; a
 * task that lost its waker (pending, not running, not woken, and no waker left to wake it); a task that has been in
 * its first poll for 1 s or more without yielding.
 *
 * Where JavaScript differs: tokio-console runs in another process and samples the tasks while they run. Ours lives
 * on the only thread, so it sees a task "running" only when asked from inside that task's poll; a hog is seen
 * afterwards as a long poll, in its `busyTime` and in the scheduling delays of everyone else (Task 5).
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import type { JoinHandle } from "#kata/06-task";
import { spawn } from "#kata/07-current-thread";
import { runtimeNow, type Now } from "./clock.ts";
import { TaskStats, type Sequence } from "./task-stats.ts";
import { lint, type LintOptions, type Warning } from "./warnings.ts";

export interface ConsoleOptions extends Partial<LintOptions> {
  /** The clock; default: the current runtime's (see `clock.ts`). */
  now?: Now;
}

export class Console implements Sequence {
  readonly #now: Now;
  readonly #lints: LintOptions;
  readonly #tasks: TaskStats[] = [];
  #seq = 0;

  constructor(options: ConsoleOptions = {}) {
    this.#now = options.now ?? runtimeNow();
    this.#lints = {
      selfWakePercent: options.selfWakePercent ?? 50,
      neverYieldedMs: options.neverYieldedMs ?? 1000,
    };
  }

  next(): number {
    return ++this.#seq;
  }

  /** Wraps `future` as a task the console tracks; its stats exist from now on. */
  instrument<T>(future: Future<T>, name?: string): Traced<T> {
    const stats = new TaskStats(this.#tasks.length + 1, name, this.#now, this);
    this.#tasks.push(stats);
    return new Traced(future, stats);
  }

  /** Spawns `future` on the current runtime, tracked: `spawn(this.instrument(future, name))`. */
  spawn<T>(future: Future<T>, name?: string): JoinHandle<T> {
    return spawn(this.instrument(future, name));
  }

  /** Every task tracked, in the order they were instrumented (completed ones included). */
  tasks(): readonly TaskStats[] {
    return this.#tasks;
  }

  /** The warnings that hold now, task by task, in the order the lints are listed in `warnings.ts`. */
  warnings(): Warning[] {
    const now = this.#now();
    return this.#tasks.flatMap((task) => lint(task, now, this.#lints));
  }
}

/** What the console's waker for one task points at. */
class Tracker {
  /** A clone of the task's real waker; null before the first poll and after the task is done. */
  inner: Waker | null = null;
  polling = false;

  constructor(readonly stats: TaskStats) {}

  wake(byValue: boolean): void {
    const stats = this.stats;
    if (byValue) stats.wakerDrops++;
    stats.wake(stats.now(), this.polling);
    this.inner?.wakeByRef();
  }
}

const VTABLE: RawWakerVTable = {
  clone(data) {
    (data as Tracker).stats.wakerClones++;
    return new RawWaker(data, VTABLE);
  },
  wake: (data) => (data as Tracker).wake(true),
  wakeByRef: (data) => (data as Tracker).wake(false),
  drop(data) {
    (data as Tracker).stats.wakerDrops++;
  },
};

export class Traced<T> extends FutureBase<T> {
  readonly #inner: Future<T>;
  readonly #tracker: Tracker;
  readonly #cx: Context;
  #done = false;

  constructor(inner: Future<T>, stats: TaskStats) {
    super();
    this.#inner = inner;
    this.#tracker = new Tracker(stats);
    this.#cx = new Context(Waker.fromRaw(new RawWaker(this.#tracker, VTABLE)));
  }

  get stats(): TaskStats {
    return this.#tracker.stats;
  }

  poll(cx: Context): Poll<T> {
    const tracker = this.#tracker;
    const stats = tracker.stats;
    if (tracker.inner === null || !tracker.inner.willWake(cx.waker)) {
      tracker.inner?.drop();
      tracker.inner = cx.waker.clone();
    }
    stats.startPoll(stats.now());
    tracker.polling = true;
    let out: Poll<T> = Pending;
    let threw = true;
    try {
      out = this.#inner.poll(this.#cx);
      threw = false;
    } finally {
      tracker.polling = false;
      stats.endPoll(stats.now());
      if (threw || out !== Pending) this.#finish();
    }
    return out;
  }

  [Symbol.dispose](): void {
    if (this.#done) return;
    this.#finish();
    this.#inner[Symbol.dispose]?.();
  }

  #finish(): void {
    this.#done = true;
    const tracker = this.#tracker;
    tracker.stats.drop(tracker.stats.now());
    tracker.inner?.drop();
    tracker.inner = null;
  }
}
