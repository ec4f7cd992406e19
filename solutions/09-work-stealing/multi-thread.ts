/**
 * The multi-thread scheduler (Tokio's `runtime/scheduler/multi_thread/mod.rs`), on one JavaScript thread.
 *
 * Tokio starts N worker threads that run their loops in parallel, and `block_on` polls its future on the caller's
 * thread. JavaScript gives us one thread, so the workers are *logical*: an interleaver runs one step of one of them
 * at a time, choosing which with a FastRand seeded from the runtime's seed. The `blockOn` futures are threads of
 * the same kind (Tokio's caller threads), polled when their waker was used.
 *
 *     loop:
 *       while some thread is runnable:  pick one at random (seeded) and run one step of it
 *       a blockOn finished?             let its caller continue (one microtask), then go on
 *       a worker asked for Node's event loop (sockets, worker-thread jobs)?  await driver.wait(0)
 *       every thread is blocked:        await driver.wait(); the worker holding the driver then resumes
 *
 * A step of a worker does at most one task poll, and each decision between polls is a step of its own, so every
 * interleaving of the workers' steps is reachable, and the seed picks one: the same seed, the same steps. Time is the
 * only other input (the adaptive global queue interval reads the runtime's clock): pause the clock or configure
 * the interval, and a replay is exact.
 *
 * Invariants: exactly the runnable threads are in `#runnable`; a blocked worker is made runnable only by an
 * unpark or by the driver it sleeps in returning; while every thread is blocked, one worker holds the driver (the
 * last one to park found it free), so awaiting the driver is what waiting means. Nothing runs between steps.
 *
 * The timed interleaving (`KATA_INTERLEAVING=timed`, see builder.ts) is for benchmarks; tests and replays use the
 * seeded one, since measured durations differ from run to run. The seeded choice says nothing about time: a step
 * that burns 400 ms of CPU stops all N workers, where on N cores it would stop one. To model N cores at poll
 * granularity, each thread keeps a virtual clock, advanced by the real duration of each step it runs, and the
 * interleaver always steps the runnable thread whose clock is earliest (seeded tie-breaks). A thread made runnable
 * cannot start before the moment it was woken: its clock moves up to the waker's (the virtual time of the step
 * under way), and when every thread is blocked, the real time spent waiting for the driver passes for all. Steps
 * then start in virtual-time order, so `virtualTime` (when the current step started) is the simulation's clock:
 * while one worker's clock is 400 ms ahead, the others run their 400 ms of tasks before it is stepped again, and
 * throughput measured in virtual time is what N cores would give. A step during which the operating system ran
 * something else counts as busy, so on a loaded machine the model is noisy.
 */
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import { Pending, type Future } from "#kata/01-poll";
import type { Driver, Handle, Scheduler } from "#kata/07-current-thread";
import { local } from "#kata/08-run-queue";
import { budget } from "#kata/14-blocking";
import { CONTEXT } from "#kit/context";
import type { MultiThreadHandle } from "./handle.ts";
import { Parker, SharedDriver, type Wakeup } from "./park.ts";
import { FastRand, RngSeed, RngSeedGenerator } from "./rand.ts";
import { Stats } from "./stats.ts";
import { Core, PARKED, Worker } from "./worker.ts";

/** What the interleaver runs: a logical worker, or a `blockOn` caller. */
interface Thread {
  runnable: boolean;
  /** The timed interleaving: the thread's virtual clock, in ms. */
  clock: number;
  step(): void;
}

/** How the interleaver picks the next step: at random (seeded), or the earliest in virtual time (see above). */
export type Interleaving = "seeded" | "timed";

/** A `blockOn` caller whose future has not finished. */
interface Caller extends Thread {
  reject(error: unknown): void;
}

const BLOCK_ON_VTABLE: RawWakerVTable = {
  clone: (data) => new RawWaker(data, BLOCK_ON_VTABLE),
  wake: (data) => (data as BlockOn<unknown>).wake(),
  wakeByRef: (data) => (data as BlockOn<unknown>).wake(),
  drop: () => {},
};

/** A `blockOn` caller (Tokio's `CachedParkThread::block_on`): polls its future with the runtime entered. */
class BlockOn<T> implements Caller {
  runnable = false;
  clock = 0;
  /** Woken since its last poll began: then a `Pending` does not block it. */
  #notified = false;
  #done = false;
  readonly #cx = new Context(Waker.fromRaw(new RawWaker(this, BLOCK_ON_VTABLE)));
  readonly #poll = () => this.future.poll(this.#cx);

  constructor(
    readonly future: Future<T>,
    readonly threads: MultiThread,
    readonly handle: Handle,
    readonly resolve: (value: T) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  wake(): void {
    this.#notified = true;
    if (!this.#done) this.threads.makeRunnable(this);
  }

  step(): void {
    const prevHandle = CONTEXT.handle;
    const prevScheduler = CONTEXT.scheduler;
    const prevEntered = CONTEXT.runtimeEntered;
    CONTEXT.handle = this.handle;
    CONTEXT.scheduler = null;
    CONTEXT.runtimeEntered = true;
    this.#notified = false;
    let out: T | typeof Pending;
    try {
      out = budget(this.#poll);
    } catch (error) {
      // Abandoned: Rust drops the future while unwinding. An error of that dispose is discarded: the poll's is the
      // one to report.
      try {
        this.future[Symbol.dispose]?.();
      } catch {
        // Discarded.
      }
      this.#finish();
      this.reject(error);
      return;
    } finally {
      CONTEXT.handle = prevHandle;
      CONTEXT.scheduler = prevScheduler;
      CONTEXT.runtimeEntered = prevEntered;
    }
    const shared = this.threads.shared;
    if (shared.trace !== null) {
      shared.trace({ step: shared.stepCount, worker: -1, kind: "block-on", complete: out !== Pending });
    }
    if (out === Pending) {
      if (!this.#notified) this.threads.block(this);
      return;
    }
    this.#finish();
    this.resolve(out);
  }

  #finish(): void {
    this.#done = true;
    this.threads.finish(this);
  }
}

export class MultiThread implements Scheduler, Wakeup {
  readonly workers: Worker[] = [];
  readonly #driver: SharedDriver;
  readonly #publicHandle: Handle;
  readonly #runnable: Thread[] = [];
  readonly #rand: FastRand;
  readonly #blockOns = new Set<Caller>();
  /** Awaiting the driver; an unpark must end the wait. */
  #waiting = false;
  #wokenWhileWaiting = false;
  #eventLoopWanted = false;
  #yieldToCaller = false;
  #shutdown = false;
  #failure: { error: unknown } | null = null;
  readonly #timed: boolean;
  /** The timed interleaving: the virtual time (ms) at which the current (or last) step started. */
  virtualTime = 0;
  /** The timed interleaving: the latest virtual time a step has ended at. */
  #horizon = 0;
  /** The timed interleaving: `performance.now()` when the current step started; -1 between steps. */
  #stepStartedAt = -1;

  constructor(
    driver: Driver,
    readonly shared: MultiThreadHandle,
    publicHandle: Handle,
    interleaving: Interleaving = "seeded",
  ) {
    this.#timed = interleaving === "timed";
    const config = shared.config;
    this.#driver = new SharedDriver(driver);
    this.#publicHandle = publicHandle;
    const seeds = new RngSeedGenerator(config.rngSeed === undefined ? RngSeed.random() : RngSeed.fromNumber(config.rngSeed));
    for (let i = 0; i < config.workerThreads; i++) {
      const [steal, runQueue] = local();
      const parker = new Parker(i, this.#driver, this);
      const stats = new Stats(shared.workerMetrics[i]!, shared.driver.clock, config.globalQueueInterval);
      const core = new Core(runQueue, parker, stats, new FastRand(seeds.nextSeed()), config.disableLifoSlot);
      shared.remotes.push({ steal, unpark: parker });
      this.workers.push(new Worker(i, shared, publicHandle, core));
    }
    this.#rand = new FastRand(seeds.nextSeed());
    shared.scheduler = this;
    // Launch: every worker starts runnable; the interleaver begins once the builder has returned.
    for (const w of this.workers) {
      w.core.stats.startProcessingScheduledTasks();
      this.makeRunnable(w);
    }
    void this.#run();
  }

  blockOn<T>(future: Future<T>): Promise<T> {
    if (this.#failure !== null) return Promise.reject(this.#failure.error);
    if (this.#shutdown) return Promise.reject(new Error("blockOn called on a runtime that has been shut down"));
    return new Promise<T>((resolve, reject) => {
      const b = new BlockOn(future, this, this.#publicHandle, resolve, reject);
      this.#blockOns.add(b);
      this.makeRunnable(b);
    });
  }

  async #run(): Promise<void> {
    try {
      await null;
      while (!this.#shutdown) {
        this.#runSteps();
        if (this.#shutdown) break;
        if (this.#yieldToCaller) {
          this.#yieldToCaller = false;
          await null;
          continue;
        }
        const eventLoop = this.#eventLoopWanted;
        this.#eventLoopWanted = false;
        if (!eventLoop) this.shared.emit(-1, "idle");
        this.#waiting = true;
        this.#wokenWhileWaiting = false;
        const waitedFrom = performance.now();
        await this.#driver.driver.wait(eventLoop ? 0 : undefined);
        this.#waiting = false;
        // Timed interleaving: every thread was blocked, so the real time spent waiting passes for all of them.
        if (this.#timed && !eventLoop) this.virtualTime = this.#horizon + (performance.now() - waitedFrom);
        // The driver returned by itself (I/O, a timer, or Node's turn): its holder wakes up to turn it.
        if (eventLoop || !this.#wokenWhileWaiting) this.resumeDriverHolder();
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  #runSteps(): void {
    const runnable = this.#runnable;
    const shared = this.shared;
    while (runnable.length > 0 && !this.#eventLoopWanted && !this.#yieldToCaller && !this.#shutdown) {
      if (this.#timed) {
        this.#timedStep(this.#earliest());
        continue;
      }
      const thread = runnable.length === 1 ? runnable[0]! : runnable[this.#rand.fastrandN(runnable.length)]!;
      shared.stepCount++;
      thread.step();
    }
  }

  /** The runnable thread with the earliest clock; among equals, a seeded choice (reservoir sampling). */
  #earliest(): Thread {
    const runnable = this.#runnable;
    let best = runnable[0]!;
    let ties = 1;
    for (let i = 1; i < runnable.length; i++) {
      const t = runnable[i]!;
      if (t.clock < best.clock) {
        best = t;
        ties = 1;
      } else if (t.clock === best.clock && this.#rand.fastrandN(++ties) === 0) {
        best = t;
      }
    }
    return best;
  }

  /** Runs one step of `thread` and advances its clock by the time the step took. */
  #timedStep(thread: Thread): void {
    this.shared.stepCount++;
    this.virtualTime = thread.clock;
    const started = performance.now();
    this.#stepStartedAt = started;
    try {
      thread.step();
    } finally {
      this.#stepStartedAt = -1;
      thread.clock += performance.now() - started;
      if (thread.clock > this.#horizon) this.#horizon = thread.clock;
    }
  }

  /** Puts a blocked thread back among the runnable; ends the wait for the driver if the runtime was idle. */
  makeRunnable(thread: Thread): void {
    if (thread.runnable || this.#shutdown) return;
    if (this.#timed) {
      // It cannot start before it was woken: now, in the virtual time of the step under way (or of the last one).
      const now = this.#stepStartedAt < 0 ? this.virtualTime : this.virtualTime + (performance.now() - this.#stepStartedAt);
      if (thread.clock < now) thread.clock = now;
    }
    thread.runnable = true;
    this.#runnable.push(thread);
    if (this.#waiting) {
      this.#waiting = false;
      this.#wokenWhileWaiting = true;
      this.#driver.driver.unpark();
    }
  }

  /** Takes a thread out of the runnable ones (it parked, or its future is pending). */
  block(thread: Thread): void {
    if (!thread.runnable) return;
    thread.runnable = false;
    const runnable = this.#runnable;
    const i = runnable.indexOf(thread);
    runnable[i] = runnable[runnable.length - 1]!;
    runnable.pop();
  }

  wakeWorker(worker: number): void {
    this.makeRunnable(this.workers[worker]!);
  }

  /** The worker asleep in the driver, if any, runs again (its driver park "returned"). */
  resumeDriverHolder(): void {
    const holder = this.#driver.holder;
    if (holder < 0) return;
    const worker = this.workers[holder]!;
    if (worker.phase === PARKED) this.makeRunnable(worker);
  }

  /** A worker turned the driver while Node's event loop has something to deliver: await it after this step. */
  wantEventLoop(): void {
    this.#eventLoopWanted = true;
  }

  /** A `blockOn` completed: stop stepping for a microtask, so its caller runs. */
  finish(b: Caller): void {
    this.block(b);
    this.#blockOns.delete(b);
    this.#yieldToCaller = true;
  }

  /** The interleaver threw (a bug in the runtime): every `blockOn` fails with the error, and so will later ones. */
  #fail(error: unknown): void {
    this.#failure = { error };
    for (const b of [...this.#blockOns]) {
      this.#blockOns.delete(b);
      b.reject(error);
    }
  }

  /**
   * Shuts the runtime down (Tokio's `close`, `pre_shutdown` and `shutdown_core`, all at once): closes the inject
   * queue, cancels every task (their JoinHandles report cancelled), drops what the queues still hold, and shuts the
   * driver down. Throws if a `blockOn` is still running, or if called from inside the runtime.
   */
  shutdown(): void {
    if (this.#shutdown) return;
    if (CONTEXT.runtimeEntered) {
      throw new Error(
        "Cannot drop a runtime in a context where blocking is not allowed. This happens when a runtime is dropped " +
          "from within an asynchronous context.",
      );
    }
    if (this.#blockOns.size > 0) {
      throw new Error("cannot shut a runtime down while blockOn is running on it; shut it down after blockOn settles");
    }
    this.#shutdown = true;
    const shared = this.shared;
    shared.inject.close();
    // Cancelling a task drops its future, which may wake others: they land in worker 0's queue, drained below.
    this.workers[0]!.enter(() => shared.owned.closeAndShutdownAll());
    for (const w of this.workers) w.enter(() => w.shutdownCore());
    for (let t = shared.inject.pop(); t !== undefined; t = shared.inject.pop()) t.dropReference();
    for (const t of this.#runnable) t.runnable = false;
    this.#runnable.length = 0;
    shared.clearTasks();
    this.#driver.driver.shutdown();
  }

  isShutdown(): boolean {
    return this.#shutdown;
  }
}
