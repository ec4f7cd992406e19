/**
 * `Builder` with the multi-thread flavour (Tokio's `runtime/builder.rs`): chapter 07's builder plus
 * `newMultiThread()`, `workerThreads(n)`, `disableLifoSlot()` and `traceSink(sink)`.
 *
 *     const rt = Builder.newMultiThread().workerThreads(4).rngSeed(42).build();
 *
 * `rngSeed` seeds every random choice of the multi-thread runtime: the interleaving of its logical workers and their
 * choice of victims. The default number of workers is the number of CPUs, as in Tokio. The current-thread flavour
 * is built exactly as in chapter 07.
 */
import { Builder as CurrentThreadBuilder, type Runtime } from "#kata/07-current-thread";
import { todo } from "#kit/todo";
import type { TraceSink } from "./trace.ts";

export class Builder extends CurrentThreadBuilder {
  // Yours: the worker count (undefined: `availableParallelism()` from node:os), the LIFO switch, the trace sink.

  /** Returns this chapter's Builder (so that `Builder.newCurrentThread()` here chains to `workerThreads` too). */
  static override newCurrentThread(): Builder {
    return todo("09-work-stealing", "Builder.newCurrentThread");
  }

  static newMultiThread(): Builder {
    return todo("09-work-stealing", "Builder.newMultiThread");
  }

  /** The number of logical workers. 0 throws "Worker threads cannot be set to 0"; a non-integer throws a RangeError. */
  workerThreads(n: number): this {
    return todo("09-work-stealing", "Builder.workerThreads");
  }

  /** Turns the LIFO slot off: every task a worker schedules goes to the back of its queue (Tokio's unstable option). */
  disableLifoSlot(): this {
    return todo("09-work-stealing", "Builder.disableLifoSlot");
  }

  /** Receives a trace event for every step of the multi-thread scheduler (see `trace.ts`). */
  traceSink(sink: TraceSink): this {
    return todo("09-work-stealing", "Builder.traceSink");
  }

  /**
   * The current-thread flavour: `super.build()`. The multi-thread flavour: `this.assemble(workers, ...)` (chapter 07)
   * with a `MultiThreadHandle` (configured from `this.cfg` and the options above) and a `MultiThread` scheduler.
   */
  override build(): Runtime {
    return todo("09-work-stealing", "Builder.build");
  }
}
