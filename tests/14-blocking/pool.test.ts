/**
 * Task 3: the blocking pool's rules, with threads and timers the test controls (no real threads, no real time).
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { JoinError, type JoinHandle } from "#kata/06-task";
import { BlockingPool, type BlockingJob } from "#kata/14-blocking";
import { probe } from "../_support/poll.ts";
import { countingDriverHandle, fakeThreads, FakeTimers } from "../_support/14-blocking.ts";

function job(name: string): BlockingJob {
  return { kind: "module", module: "jobs", export: name, args: [] };
}

function pool(threadCap: number, keepAliveMs = 10_000) {
  const { spawnThread, threads } = fakeThreads();
  const timers = new FakeTimers();
  const { driver, switches, unparks } = countingDriverHandle();
  const p = new BlockingPool({ threadCap, keepAliveMs, spawnThread, timers, driver });
  return { pool: p, threads, timers, driver, switches, unparks };
}

function outcome<T>(h: JoinHandle<T>): { value: T } | { error: JoinError } | "pending" {
  try {
    const out = probe().poll(h);
    return out === Pending ? "pending" : { value: out };
  } catch (e) {
    if (e instanceof JoinError) return { error: e };
    throw e;
  }
}

const names = (jobs: BlockingJob[]) => jobs.map((j) => (j.kind === "module" ? j.export : j.source));

describe("Task 3: The blocking pool", () => {
  it("starts a thread per job, on demand, up to the cap; beyond it jobs wait in the queue", () => {
    const { pool: p, threads } = pool(2);
    expect(p.numThreads, "no thread before the first job").toBe(0);
    p.spawn(job("a"));
    p.spawn(job("b"));
    p.spawn(job("c"));
    p.spawn(job("d"));
    expect(p.numThreads, "p.numThreads").toBe(2);
    expect(threads.length, "threads.length").toBe(2);
    expect(p.queueDepth, "p.queueDepth").toBe(2);
    expect(p.numIdleThreads, "p.numIdleThreads").toBe(0);
    expect(threads.map((t) => names(t.jobs))).toEqual([["a"], ["b"]]);
  });

  it("a thread that finishes takes the oldest queued job (FIFO)", () => {
    const { pool: p, threads } = pool(2);
    for (const n of ["a", "b", "c", "d", "e"]) p.spawn(job(n));
    threads[1]!.finish(0);
    threads[0]!.finish(0);
    threads[0]!.finish(0);
    expect(names(threads[0]!.jobs), "names(threads[0].jobs)").toEqual(["a", "d", "e"]);
    expect(names(threads[1]!.jobs), "names(threads[1].jobs)").toEqual(["b", "c"]);
    expect(p.queueDepth, "p.queueDepth").toBe(0);
  });

  it("an idle thread is reused before a new one is started", () => {
    const { pool: p, threads } = pool(4);
    p.spawn(job("a"));
    threads[0]!.finish(1);
    expect(p.numIdleThreads, "p.numIdleThreads").toBe(1);
    expect(threads[0]!.refs, "an idle thread does not keep the process alive").toBe(0);
    p.spawn(job("b"));
    expect(threads.length, "no new thread").toBe(1);
    expect(p.numIdleThreads, "p.numIdleThreads").toBe(0);
    expect(threads[0]!.refs, "threads[0].refs").toBe(1);
    expect(names(threads[0]!.jobs), "names(threads[0].jobs)").toEqual(["a", "b"]);
  });

  it("an idle thread leaves after the keep-alive; a job in time keeps it", () => {
    const { pool: p, threads, timers } = pool(4, 10_000);
    p.spawn(job("a"));
    threads[0]!.finish(1);
    timers.advance(9_999);
    expect(p.numThreads, "p.numThreads").toBe(1);
    p.spawn(job("b"));
    expect(timers.armed, "the keep-alive stops while the thread works").toBe(0);
    threads[0]!.finish(2);
    timers.advance(9_999);
    expect(p.numThreads, "the keep-alive starts again when it is idle again").toBe(1);
    timers.advance(1);
    expect(p.numThreads, "p.numThreads").toBe(0);
    expect(p.numIdleThreads, "p.numIdleThreads").toBe(0);
    expect(threads[0]!.terminated, "threads[0].terminated").toBe(true);
    p.spawn(job("c"));
    expect(threads.length, "a new thread for the next job").toBe(2);
  });

  it("the keep-alive is the configured one", () => {
    const { pool: p, threads, timers } = pool(1, 250);
    p.spawn(job("a"));
    threads[0]!.finish(1);
    timers.advance(249);
    expect(p.numThreads, "p.numThreads").toBe(1);
    timers.advance(1);
    expect(p.numThreads, "p.numThreads").toBe(0);
  });

  it("each job's JoinHandle gives its value, or a JoinError of kind panic carrying what it threw", () => {
    const { pool: p, threads } = pool(2);
    const ok = p.spawn<number>(job("ok"));
    const bad = p.spawn<number>(job("bad"));
    expect(outcome(ok), "outcome(ok)").toBe("pending");
    const thrown = new Error("job failed");
    threads[0]!.finish(42);
    threads[1]!.fail(thrown);
    expect(outcome(ok), "outcome(ok)").toEqual({ value: 42 });
    const err = outcome(bad);
    if (typeof err === "string" || !("error" in err)) throw new Error("expected a JoinError");
    expect(err.error.isPanic(), "err.error.isPanic()").toBe(true);
    expect(err.error.intoPanic(), "err.error.intoPanic()").toBe(thrown);
  });

  it("a waiting JoinHandle is woken when its job finishes", () => {
    const { pool: p, threads } = pool(1);
    const h = p.spawn<string>(job("a"));
    const w = probe();
    expect(w.poll(h), "w.poll(h)").toBe(Pending);
    threads[0]!.finish("done");
    expect(w.stats.wakes, "w.stats.wakes").toBe(1);
    expect(w.poll(h), "w.poll(h)").toBe("done");
  });

  it("abort cancels a queued job, which never runs; a running job cannot be aborted", () => {
    const { pool: p, threads } = pool(1);
    const running = p.spawn<number>(job("running"));
    const queued = p.spawn<number>(job("queued"));
    const next = p.spawn<number>(job("next"));
    running.abort();
    queued.abort();
    expect(outcome(running), "abort waits for the job").toBe("pending");
    threads[0]!.finish(7);
    expect(outcome(running), "the running job's result is delivered").toEqual({ value: 7 });
    expect(names(threads[0]!.jobs), "the aborted job was skipped").toEqual(["running", "next"]);
    const q = outcome(queued);
    expect(typeof q !== "string" && "error" in q && q.error.isCancelled()).toBe(true);
    threads[0]!.finish(8);
    expect(outcome(next), "outcome(next)").toEqual({ value: 8 });
  });

  it("shutdown: idle threads leave at once, and a job spawned afterwards is cancelled", async () => {
    const { pool: p, threads } = pool(2);
    p.spawn(job("a"));
    threads[0]!.finish(1);
    expect(p.numIdleThreads, "p.numIdleThreads").toBe(1);
    await p.shutdown();
    expect(p.isShutdown(), "p.isShutdown()").toBe(true);
    expect(threads[0]!.terminated, "threads[0].terminated").toBe(true);
    expect(p.numThreads, "p.numThreads").toBe(0);
    const late = p.spawn<number>(job("late"));
    const l = outcome(late);
    expect(typeof l !== "string" && "error" in l && l.error.isCancelled(), "cancelled at once").toBe(true);
    expect(threads.length, "no thread started for it").toBe(1);
  });

  it("shutdown: busy threads finish their job and what was queued before, then leave", async () => {
    const { pool: p, threads } = pool(2);
    const a = p.spawn<number>(job("a"));
    const b = p.spawn<number>(job("b"));
    const c = p.spawn<number>(job("c"));
    let done = false;
    const stopped = p.shutdown().then(() => {
      done = true;
    });
    threads[0]!.finish(1);
    expect(names(threads[0]!.jobs), "the job queued before shutdown still runs").toEqual(["a", "c"]);
    threads[1]!.finish(2);
    expect(threads[1]!.terminated, "nothing left in the queue: it leaves").toBe(true);
    await Promise.resolve();
    expect(done, "one thread is still busy").toBe(false);
    threads[0]!.finish(3);
    await stopped;
    expect(done).toBe(true);
    expect(p.numThreads, "p.numThreads").toBe(0);
    expect([outcome(a), outcome(b), outcome(c)]).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }]);
  });

  it("shutdown with a timeout stops waiting and detaches the threads still busy", async () => {
    const { pool: p, threads, timers } = pool(1);
    p.spawn(job("long"));
    let done = false;
    const stopped = p.shutdown(500).then(() => {
      done = true;
    });
    timers.advance(499);
    await Promise.resolve();
    expect(done).toBe(false);
    timers.advance(1);
    await stopped;
    expect(threads[0]!.refs, "detached: it no longer keeps the process alive").toBe(0);
    expect(threads[0]!.terminated, "but it is not killed").toBe(false);
    threads[0]!.finish(0);
    expect(threads[0]!.terminated, "it leaves when its job is done").toBe(true);
    expect(p.numThreads, "p.numThreads").toBe(0);
  });

  it("shutdown(0) does not wait at all", async () => {
    const { pool: p } = pool(1);
    p.spawn(job("long"));
    await p.shutdown(0);
    expect(p.numThreads, "p.numThreads").toBe(1);
  });

  it("a thread that dies fails its job, and a new thread takes the queue", () => {
    const { pool: p, threads } = pool(1);
    const a = p.spawn<number>(job("a"));
    const b = p.spawn<number>(job("b"));
    threads[0]!.die(new Error("worker crashed"));
    const e = outcome(a);
    expect(typeof e !== "string" && "error" in e && e.error.isPanic(), "the dead thread's job fails as a panic").toBe(true);
    expect(threads[0]!.terminated, "a thread that died is terminated by the pool").toBe(true);
    expect(threads.length, "a replacement thread").toBe(2);
    expect(names(threads[1]!.jobs), "names(threads[1].jobs)").toEqual(["b"]);
    threads[1]!.finish(5);
    expect(outcome(b), "outcome(b)").toEqual({ value: 5 });
  });

  it("a pool without a driver (it is optional) runs, queues, aborts and finishes jobs", () => {
    const { spawnThread, threads } = fakeThreads();
    const p = new BlockingPool({ threadCap: 1, keepAliveMs: 1_000, spawnThread, timers: new FakeTimers() });
    const a = p.spawnBlocking((x: number) => x * 2, 21);
    const b = p.spawn<number>(job("b"));
    const c = p.spawn<number>(job("c"));
    b.abort();
    expect(threads[0]!.jobs[0], "spawnBlocking sends a function's source and its arguments").toMatchObject({ kind: "source", args: [21] });
    threads[0]!.finish(42);
    expect(names(threads[0]!.jobs).slice(1), "the aborted job was skipped").toEqual(["c"]);
    threads[0]!.finish(7);
    expect([outcome(a), outcome(c)]).toEqual([{ value: 42 }, { value: 7 }]);
    const e = outcome(b);
    expect(typeof e !== "string" && "error" in e && e.error.isCancelled()).toBe(true);
  });

  it("a module job without args is sent with an empty argument list", () => {
    const { pool: p, threads } = pool(1);
    p.spawnBlocking({ module: "file:///jobs.ts", export: "run" });
    expect(threads[0]!.jobs, "threads[0].jobs").toEqual([{ kind: "module", module: "file:///jobs.ts", export: "run", args: [] }]);
  });

  it("a job that throws leaves its thread alive: the same thread takes the next job", () => {
    const { pool: p, threads } = pool(1);
    const a = p.spawn<number>(job("a"));
    p.spawn<number>(job("b"));
    threads[0]!.fail(new Error("job failed"));
    const e = outcome(a);
    expect(typeof e !== "string" && "error" in e && e.error.isPanic()).toBe(true);
    expect([threads.length, threads[0]!.terminated], "no thread left or was replaced").toEqual([1, false]);
    expect(names(threads[0]!.jobs), "names(threads[0].jobs)").toEqual(["a", "b"]);
  });

  it("a thread that dies with nothing queued is not replaced", () => {
    const { pool: p, threads } = pool(2);
    p.spawn(job("a"));
    threads[0]!.die(new Error("worker crashed"));
    expect([threads.length, p.numThreads], "no replacement: nothing waits").toEqual([1, 0]);
  });

  it("shutdown waits for every busy thread, not just the first to leave", async () => {
    const { pool: p, threads, timers } = pool(2);
    p.spawn(job("a"));
    p.spawn(job("b"));
    let done = false;
    const stopped = p.shutdown().then(() => {
      done = true;
    });
    expect(timers.armed, "shutdown() without a timeout arms no timer").toBe(0);
    threads[1]!.finish(2);
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
    expect([done, p.numThreads], "thread 0 is still busy").toEqual([false, 1]);
    threads[0]!.finish(1);
    await stopped;
    expect(done).toBe(true);
  });

  it("shutdown(ms) clears its timer when the threads leave in time", async () => {
    const { pool: p, threads, timers } = pool(1);
    p.spawn(job("a"));
    const stopped = p.shutdown(500);
    expect(timers.armed, "the timeout is armed").toBe(1);
    threads[0]!.finish(1);
    await stopped;
    expect(timers.armed, "and cleared once the pool has drained").toBe(0);
  });

  it("jobs still queued when the last thread dies after shutdown are cancelled", async () => {
    const { pool: p, threads } = pool(1);
    p.spawn(job("a"));
    const b = p.spawn<number>(job("b"));
    const stopped = p.shutdown();
    threads[0]!.die(new Error("worker crashed"));
    await stopped;
    expect(threads.length, "no replacement after shutdown").toBe(1);
    const e = outcome(b);
    expect(typeof e !== "string" && "error" in e && e.error.isCancelled(), "the queued job was cancelled").toBe(true);
  });

  it("without a driver too, jobs still queued when the last thread dies after shutdown are cancelled", async () => {
    const { spawnThread, threads } = fakeThreads();
    const p = new BlockingPool({ threadCap: 1, keepAliveMs: 1_000, spawnThread, timers: new FakeTimers() });
    p.spawn(job("a"));
    const b = p.spawn<number>(job("b"));
    const stopped = p.shutdown();
    threads[0]!.die(new Error("worker crashed"));
    await stopped;
    const e = outcome(b);
    expect(typeof e !== "string" && "error" in e && e.error.isCancelled()).toBe(true);
  });

  it("while jobs are queued or running the runtime is asked to keep Node's event loop turning", () => {
    const { pool: p, threads, driver } = pool(1);
    expect(driver.holdsEventLoop, "driver.holdsEventLoop").toBe(false);
    p.spawn(job("a"));
    const b = p.spawn(job("b"));
    expect(driver.holdsEventLoop, "driver.holdsEventLoop").toBe(true);
    b.abort();
    threads[0]!.finish(1);
    expect(driver.holdsEventLoop, "released for the finished job and the cancelled one").toBe(false);
  });

  it("a blocking task inhibits the paused clock's auto-advance until it completes, then unparks", () => {
    const { pool: p, threads, switches, unparks } = pool(1);
    p.spawn(job("a"));
    p.spawn(job("b"));
    expect(switches(), "switches()").toEqual({ inhibits: 2, allows: 0 });
    threads[0]!.finish(1);
    expect(switches(), "switches()").toEqual({ inhibits: 2, allows: 1 });
    expect(unparks(), "the runtime is unparked to notice").toBe(1);
    threads[0]!.finish(2);
    expect(switches(), "switches()").toEqual({ inhibits: 2, allows: 2 });
  });
});
