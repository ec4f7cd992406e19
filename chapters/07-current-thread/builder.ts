/**
 * `Builder` (Tokio's `runtime/builder.rs`): configures and builds a runtime.
 *
 *     const rt = Builder.newCurrentThread().enableAll().build();
 *
 * Defaults are Tokio's: event interval 61, global queue interval 31 on the current-thread runtime, up to 512
 * blocking threads that leave after 10 s idle, I/O and time disabled until enabled. Invalid settings throw at once.
 * Chapter 09 extends this class with `newMultiThread()`.
 */
import type { Network } from "#kata/10-mio";
import { BlockingPool } from "#kata/14-blocking";
import { CurrentThread, CurrentThreadHandle } from "./current-thread.ts";
import { createDriver, type Driver, type DriverHandle } from "./driver.ts";
import { Handle, type SchedulerHandle } from "./handle.ts";
import { Runtime, type Scheduler } from "./runtime.ts";

export const DEFAULT_EVENT_INTERVAL = 61;
export const DEFAULT_CURRENT_THREAD_GLOBAL_QUEUE_INTERVAL = 31;
export const DEFAULT_MAX_BLOCKING_THREADS = 512;
export const DEFAULT_THREAD_KEEP_ALIVE_MS = 10_000;

export interface BuilderConfig {
  enableIo: boolean;
  enableTime: boolean;
  startPaused: boolean;
  network: Network | undefined;
  eventInterval: number;
  /** `undefined`: the flavour's default (31 here; adaptive on the multi-thread runtime). */
  globalQueueInterval: number | undefined;
  maxBlockingThreads: number;
  threadKeepAliveMs: number;
  /** Seed for the runtime's random choices (the multi-thread scheduler, `select`). */
  rngSeed: number | undefined;
}

export class Builder {
  protected readonly cfg: BuilderConfig = {
    enableIo: false,
    enableTime: false,
    startPaused: false,
    network: undefined,
    eventInterval: DEFAULT_EVENT_INTERVAL,
    globalQueueInterval: undefined,
    maxBlockingThreads: DEFAULT_MAX_BLOCKING_THREADS,
    threadKeepAliveMs: DEFAULT_THREAD_KEEP_ALIVE_MS,
    rngSeed: undefined,
  };

  protected constructor(readonly flavor: "current_thread" | "multi_thread") {}

  static newCurrentThread(): Builder {
    return new Builder("current_thread");
  }

  enableAll(): this {
    return this.enableIo().enableTime();
  }

  enableIo(): this {
    this.cfg.enableIo = true;
    return this;
  }

  enableTime(): this {
    this.cfg.enableTime = true;
    return this;
  }

  /** Starts the clock paused (tests): time moves only by `advance` or by auto-advance when the runtime is idle. */
  startPaused(paused = true): this {
    this.cfg.startPaused = paused;
    return this;
  }

  /** The network the I/O driver uses: the simulated one of chapter 10, or (default) real sockets. */
  network(network: Network): this {
    this.cfg.network = network;
    return this;
  }

  eventInterval(ticks: number): this {
    this.cfg.eventInterval = positiveInteger("event_interval", ticks);
    return this;
  }

  globalQueueInterval(ticks: number): this {
    this.cfg.globalQueueInterval = positiveInteger("global_queue_interval", ticks);
    return this;
  }

  maxBlockingThreads(n: number): this {
    if (n === 0) throw new Error("Max blocking threads cannot be set to 0");
    this.cfg.maxBlockingThreads = positiveInteger("max_blocking_threads", n);
    return this;
  }

  threadKeepAlive(ms: number): this {
    if (!(ms >= 0)) throw new RangeError(`thread_keep_alive must be a duration >= 0 ms, got ${ms}`);
    this.cfg.threadKeepAliveMs = ms;
    return this;
  }

  rngSeed(seed: number): this {
    this.cfg.rngSeed = seed >>> 0;
    return this;
  }

  build(): Runtime {
    if (this.flavor !== "current_thread") throw new Error(`this Builder cannot build a ${this.flavor} runtime`);
    return this.assemble(0, (driver, driverHandle) => {
      const inner = new CurrentThreadHandle(driverHandle, {
        eventInterval: this.cfg.eventInterval,
        globalQueueInterval: this.cfg.globalQueueInterval ?? DEFAULT_CURRENT_THREAD_GLOBAL_QUEUE_INTERVAL,
      });
      return {
        inner,
        makeScheduler: (handle: Handle) => new CurrentThread(driver, inner, handle),
      };
    });
  }

  /**
   * Builds the driver, the blocking pool and the handle around a scheduler made by `make`; shared by both
   * flavours. `extraBlockingThreads` raises the blocking pool's cap (the multi-thread runtime's workers).
   */
  protected assemble(
    extraBlockingThreads: number,
    make: (driver: Driver, handle: DriverHandle) => { inner: SchedulerHandle; makeScheduler: (h: Handle) => Scheduler },
  ): Runtime {
    const { driver, handle: driverHandle } = createDriver(this.cfg);
    const pool = new BlockingPool({
      threadCap: this.cfg.maxBlockingThreads + extraBlockingThreads,
      keepAliveMs: this.cfg.threadKeepAliveMs,
      driver: driverHandle,
    });
    const { inner, makeScheduler } = make(driver, driverHandle);
    const handle = new Handle(inner, pool);
    return new Runtime(makeScheduler(handle), handle, pool);
  }
}

function positiveInteger(name: string, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be greater than 0, got ${n}`);
  return n;
}
