/**
 * Task 4: spawnBlocking on real worker threads (integration tests: real threads, no sleeps; one test waits, with
 * a wide bound, for a real keep-alive to expire). Every test shuts its runtime down and checks that no thread is
 * left.
 */
import { describe, expect, it } from "vitest";
import { threadId } from "node:worker_threads";
import { asyncBlock } from "#kata/02-state-machines";
import { JoinError } from "#kata/06-task";
import { Builder, NO_RUNTIME, spawn, type Runtime } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { spawnBlocking, yieldNow } from "#kata/14-blocking";

const JOBS = new URL("../_support/14-blocking-jobs.ts", import.meta.url);

async function finish(rt: Runtime): Promise<void> {
  await rt.shutdownTimeout(10_000);
  expect(rt.handle().blockingPool.numThreads, "every pool thread has left").toBe(0);
}

function release(cell: Int32Array, value: number): void {
  Atomics.store(cell, 0, value);
  Atomics.notify(cell, 0);
}

describe("Task 4: spawnBlocking on worker threads", { timeout: 30_000 }, () => {
  it("a self-contained function runs on a pool thread and its value comes back through the JoinHandle", async () => {
    const rt = Builder.newCurrentThread().maxBlockingThreads(2).build();
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const sum = yield* spawnBlocking((n: number) => {
          let s = 0;
          for (let i = 1; i <= n; i++) s += i;
          return s;
        }, 1000);
        const thread = yield* spawnBlocking<number>({ module: JOBS, export: "whichThread" });
        return { sum, thread };
      }),
    );
    expect(out.sum, "out.sum").toBe(500500);
    expect(out.thread, "not the runtime's thread").not.toBe(threadId);
    await finish(rt);
  });

  it("a module's export runs by URL or by a #kata/ specifier (the thread inherits the conditions)", async () => {
    const rt = Builder.newCurrentThread().build();
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const f = yield* spawnBlocking<number>({ module: JOBS, export: "fib", args: [20] });
        const r = yield* spawnBlocking<boolean>({ module: "#kata/01-poll", export: "isReady", args: [5] });
        return [f, r];
      }),
    );
    expect(out).toEqual([6765, true]);
    await finish(rt);
  });

  it("a job that throws gives a JoinError of kind panic carrying the error, copied across", async () => {
    const rt = Builder.newCurrentThread().build();
    const err = await rt.blockOn(
      asyncBlock(function* () {
        try {
          yield* spawnBlocking<never>({ module: JOBS, export: "fail", args: ["no luck"] });
          return null;
        } catch (e) {
          return e;
        }
      }),
    );
    expect(err).toBeInstanceOf(JoinError);
    expect((err as JoinError).isPanic()).toBe(true);
    const payload = (err as JoinError).intoPanic() as Error;
    expect(payload).toBeInstanceOf(Error);
    expect(payload.message, "payload.message").toBe("no luck");
    await finish(rt);
  });

  it("only the function's source crosses: a variable it closes over is not there", async () => {
    const rt = Builder.newCurrentThread().build();
    const factor = 3;
    const err = await rt.blockOn(
      asyncBlock(function* () {
        try {
          yield* spawnBlocking((n: number) => n * factor, 2);
          return null;
        } catch (e) {
          return e as JoinError;
        }
      }),
    );
    expect(err?.isPanic(), "err?.isPanic()").toBe(true);
    expect(String((err!.intoPanic() as Error).message)).toMatch(/factor is not defined/);
    await finish(rt);
  });

  it("spawnBlocking outside a runtime throws Tokio's message", () => {
    expect(() => spawnBlocking(() => 1)).toThrow(NO_RUNTIME);
  });

  it("the runtime keeps running tasks while a job blocks its thread", async () => {
    const rt = Builder.newCurrentThread().build();
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const job = spawnBlocking<{ value: number }>({ module: JOBS, export: "waitFor", args: [cell] });
        const ticker = spawn(
          asyncBlock(function* () {
            for (let i = 0; i < 100; i++) yield* yieldNow();
            release(cell, 100); // only reachable if the runtime ran this task while the job was blocked
          }),
        );
        yield* ticker;
        return yield* job;
      }),
    );
    expect(out.value, "out.value").toBe(100);
    await finish(rt);
  });

  it("a busy runtime still receives the job's result (the pool holds Node's event loop open)", async () => {
    const rt = Builder.newCurrentThread().build();
    const started = performance.now();
    let spins = 0;
    const out = await rt.blockOn(
      asyncBlock(function* () {
        let done = false;
        const spinner = spawn(
          asyncBlock(function* () {
            // Never idle: without the pool's holdEventLoop the worker's message could not be delivered.
            while (!done) {
              spins++;
              if (performance.now() - started > 10_000) {
                throw new Error("the job's result never arrived while the runtime was busy (holdEventLoop?)");
              }
              yield* yieldNow();
            }
          }),
        );
        const v = yield* spawnBlocking((x: number) => x + 1, 41);
        done = true;
        yield* spinner;
        return v;
      }),
    );
    expect(out).toBe(42);
    expect(spins, "the spinner ran while the job was in flight").toBeGreaterThan(0);
    await finish(rt);
  });

  it("pool exhaustion: with a cap of 2, four blocked jobs run two at a time, the rest wait in the queue", async () => {
    const rt = Builder.newCurrentThread().maxBlockingThreads(2).build();
    const pool = rt.handle().blockingPool;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const jobs = [1, 2, 3, 4].map(() =>
          spawnBlocking<{ thread: number }>({ module: JOBS, export: "waitFor", args: [cell] }),
        );
        const seen = { threads: pool.numThreads, queued: pool.queueDepth };
        release(cell, 1);
        const threads = new Set<number>();
        for (const j of jobs) threads.add((yield* j).thread);
        return { ...seen, distinct: threads.size };
      }),
    );
    expect(out).toEqual({ threads: 2, queued: 2, distinct: 2 });
    await finish(rt);
  });

  it("shutdownTimeout waits for the running job, whose result is still delivered", async () => {
    const rt = Builder.newCurrentThread().build();
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const job = await rt.blockOn(
      asyncBlock(function* () {
        return spawnBlocking<{ value: number }>({ module: JOBS, export: "waitFor", args: [cell] });
      }),
    );
    const stopping = rt.shutdownTimeout(10_000);
    setImmediate(() => release(cell, 9));
    await stopping;
    expect(rt.handle().blockingPool.numThreads, "rt.handle().blockingPool.numThreads").toBe(0);
    expect(job.isFinished(), "completed by its thread before the pool finished stopping").toBe(true);
  });

  it("a blocking job keeps a paused clock from auto-advancing until it completes", async () => {
    const rt = Builder.newCurrentThread().enableTime().startPaused().build();
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const order = await rt.blockOn(
      asyncBlock(function* () {
        const order: string[] = [];
        const sleeper = spawn(
          asyncBlock(function* () {
            yield* sleep(60_000);
            order.push("slept a paused minute");
          }),
        );
        const job = spawnBlocking<{ value: number }>({ module: JOBS, export: "waitFor", args: [cell] });
        setImmediate(() => release(cell, 1));
        yield* job;
        order.push("job done");
        yield* sleeper;
        return order;
      }),
    );
    expect(order, "while the job ran the idle runtime did not jump the clock to the sleep's deadline").toEqual([
      "job done",
      "slept a paused minute",
    ]);
    await finish(rt);
  });

  it("integration: an idle worker thread leaves after a short keep-alive", async () => {
    const rt = Builder.newCurrentThread().threadKeepAlive(50).build();
    const pool = rt.handle().blockingPool;
    await rt.blockOn(
      asyncBlock(function* () {
        yield* spawnBlocking(() => 1);
      }),
    );
    expect(pool.numIdleThreads, "pool.numIdleThreads").toBe(1);
    const deadline = performance.now() + 5_000;
    while (pool.numThreads > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(pool.numThreads, "left within 5 s of a 50 ms keep-alive").toBe(0);
    await finish(rt);
  });
});
