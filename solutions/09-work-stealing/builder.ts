/**
 * `Builder` with the multi-thread flavour (Tokio's `runtime/builder.rs`): chapter 07's builder plus
 * `newMultiThread()`, `workerThreads(n)`, `disableLifoSlot()` and `traceSink(sink)`.
 *
 *     const rt = Builder.newMultiThread().workerThreads(4).rngSeed(42).build();
 *
 * `rngSeed` seeds every random choice of the multi-thread runtime: the interleaving of its logical workers and their
 * choice of victims. The default number of workers is the number of CPUs, as in Tokio. The current-thread flavour
 * is built exactly as in chapter 07. Benchmarks may ask for the timed interleaving (`KATA_INTERLEAVING=timed` in
 * the environment, see `multi-thread.ts`).
 */
import { availableParallelism } from "node:os";
import { Builder as CurrentThreadBuilder, type Runtime } from "#kata/07-current-thread";
import { MultiThreadHandle } from "./handle.ts";
import { MultiThread, type Interleaving } from "./multi-thread.ts";
import type { TraceSink } from "./trace.ts";

export class Builder extends CurrentThreadBuilder {
  #workerThreads: number | undefined = undefined;
  #disableLifoSlot = false;
  #traceSink: TraceSink | null = null;

  static override newCurrentThread(): Builder {
    return new Builder("current_thread");
  }

  static newMultiThread(): Builder {
    return new Builder("multi_thread");
  }

  /** The number of logical workers (multi-thread flavour only). */
  workerThreads(n: number): this {
    if (n === 0) throw new Error("Worker threads cannot be set to 0");
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`worker_threads must be an integer from 1 to 65535, got ${n}`);
    this.#workerThreads = n;
    return this;
  }

  /** Turns the LIFO slot off: every task a worker schedules goes to the back of its queue (Tokio's unstable option). */
  disableLifoSlot(): this {
    this.#disableLifoSlot = true;
    return this;
  }

  /** Receives a trace event for every step of the multi-thread scheduler (see `trace.ts`). */
  traceSink(sink: TraceSink): this {
    this.#traceSink = sink;
    return this;
  }

  override build(): Runtime {
    if (this.flavor === "current_thread") return super.build();
    const workerThreads = this.#workerThreads ?? availableParallelism();
    return this.assemble(workerThreads, (driver, driverHandle) => {
      const inner = new MultiThreadHandle(driverHandle, {
        workerThreads,
        eventInterval: this.cfg.eventInterval,
        globalQueueInterval: this.cfg.globalQueueInterval,
        disableLifoSlot: this.#disableLifoSlot,
        rngSeed: this.cfg.rngSeed,
        traceSink: this.#traceSink,
      });
      return { inner, makeScheduler: (handle) => new MultiThread(driver, inner, handle, interleaving()) };
    });
  }
}

/**
 * `KATA_INTERLEAVING=timed` in the environment builds multi-thread runtimes with the timed interleaving, a model of
 * N cores for benchmarks (see `multi-thread.ts`); anything else, the seeded one. An environment variable, as Tokio
 * reads `TOKIO_WORKER_THREADS`, because it is a knob of the measurement, not of the program.
 */
function interleaving(): Interleaving {
  return process.env.KATA_INTERLEAVING === "timed" ? "timed" : "seeded";
}
