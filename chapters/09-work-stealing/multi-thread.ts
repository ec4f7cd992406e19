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
 * Invariants: exactly the runnable threads are in the runnable list; a blocked worker is made runnable only by an
 * unpark or by the driver it sleeps in returning; while every thread is blocked, one worker holds the driver (the
 * last one to park found it free), so awaiting the driver is what waiting means. Nothing runs between steps.
 *
 * Everything here is yours (README, Task 5). Sketch of the private state: the shared driver (`SharedDriver`), the
 * public handle, the list of runnable threads, the interleaver's `FastRand`, the pending `blockOn` callers, and
 * flags: waiting for the driver, woken while waiting, event loop wanted, yield to a caller, shut down, failure.
 * A `blockOn` caller is a small class of its own (a `Thread` with `runnable` and `step()`, and a waker).
 */
import type { Future } from "#kata/01-poll";
import type { Driver, Handle, Scheduler } from "#kata/07-current-thread";
import { todo } from "#kit/todo";
import type { MultiThreadHandle } from "./handle.ts";
import type { Wakeup } from "./park.ts";
import type { Worker } from "./worker.ts";

/** What the interleaver runs: a logical worker, or a `blockOn` caller. */
interface Thread {
  runnable: boolean;
  step(): void;
}

/** A `blockOn` caller whose future has not finished. */
interface Caller extends Thread {
  reject(error: unknown): void;
}

export class MultiThread implements Scheduler, Wakeup {
  readonly workers: Worker[] = [];

  /**
   * Builds the workers (a queue from chapter 08's `local()`, a `Parker`, `Stats` on `shared.workerMetrics[i]` and
   * `shared.driver.clock`, a `Core` with a `FastRand` seeded by the seed generator, one seed per worker in order,
   * then one for the interleaver), fills in `shared.remotes` and `shared.scheduler`, makes every worker runnable
   * (after `startProcessingScheduledTasks`), and starts the interleaver, which runs its first step only after a
   * microtask (the builder returns first).
   */
  constructor(driver: Driver, readonly shared: MultiThreadHandle, publicHandle: Handle) {
    todo("09-work-stealing", "MultiThread.constructor");
  }

  /**
   * Runs `future` as a new thread of the interleaver, polled (with the runtime entered, `CONTEXT.scheduler` null,
   * under a budget) when first runnable and then whenever its waker is used. Resolves with its output, rejects with
   * what it throws. Rejects at once after shutdown ("blockOn called on a runtime that has been shut down").
   */
  blockOn<T>(future: Future<T>): Promise<T> {
    return todo("09-work-stealing", "MultiThread.blockOn");
  }

  /** Puts a blocked thread back among the runnable; if the interleaver is waiting for the driver, ends the wait. */
  makeRunnable(thread: Thread): void {
    return todo("09-work-stealing", "MultiThread.makeRunnable");
  }

  /** Takes a thread out of the runnable ones (it parked, or its future is pending and was not woken meanwhile). */
  block(thread: Thread): void {
    return todo("09-work-stealing", "MultiThread.block");
  }

  /** Wakeup: `makeRunnable(workers[worker])`. */
  wakeWorker(worker: number): void {
    return todo("09-work-stealing", "MultiThread.wakeWorker");
  }

  /** The worker asleep in the driver (if any, and if it is PARKED) runs again: its driver park "returned". */
  resumeDriverHolder(): void {
    return todo("09-work-stealing", "MultiThread.resumeDriverHolder");
  }

  /** A worker turned the driver while Node's event loop has something to deliver: await `wait(0)` after this step. */
  wantEventLoop(): void {
    return todo("09-work-stealing", "MultiThread.wantEventLoop");
  }

  /** A `blockOn` caller completed: it leaves the interleaver, which stops stepping for a microtask so its caller runs. */
  finish(caller: Caller): void {
    return todo("09-work-stealing", "MultiThread.finish");
  }

  /**
   * Shuts the runtime down, all at once: closes the inject queue, cancels every task (`owned.closeAndShutdownAll()`
   * inside worker 0's `enter`), drops what the LIFO slots, run queues and inject queue still hold, forgets the task
   * indices, and shuts the driver down. Throws if a `blockOn` is still running, or if called from inside the runtime
   * (`CONTEXT.runtimeEntered`). A second call does nothing.
   */
  shutdown(): void {
    return todo("09-work-stealing", "MultiThread.shutdown");
  }

  isShutdown(): boolean {
    return todo("09-work-stealing", "MultiThread.isShutdown");
  }
}
