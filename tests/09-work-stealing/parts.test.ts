/**
 * Hidden suite of chapter 09, the parts on their own: FastRand (Task 1), Idle (Task 2), the statistics that tune the
 * global queue interval and the core's small decisions (Task 3), and the parker with its driver lock (Task 4).
 */
import { describe, expect, it } from "vitest";
import { FutureBase, type Poll } from "#kata/01-poll";
import { OwnedTasks, type RawTask, type Schedule } from "#kata/06-task";
import { WorkerMetrics, type Driver } from "#kata/07-current-thread";
import { local } from "#kata/08-run-queue";
import {
  Builder,
  Core,
  EMPTY,
  FastRand,
  Idle,
  NOTIFIED,
  PARKED_CONDVAR,
  PARKED_DRIVER,
  Parker,
  RngSeed,
  RngSeedGenerator,
  SharedDriver,
  Stats,
  type MultiThreadHandle,
} from "#kata/09-work-stealing";

/** A driver that only counts its turns (and throws from `turn` while `failing` is set). */
function countingDriver(): Driver & { turns: number; failing: boolean } {
  return {
    turns: 0,
    failing: false,
    needsEventLoop: false,
    wait: () => Promise.resolve(),
    turn() {
      this.turns++;
      if (this.failing) throw new Error("turn failed");
    },
    unpark: () => {},
    shutdown: () => {},
  };
}

/** The interleaver as a parker sees it: records which workers were woken. */
function wakeups(): { wakeWorker(worker: number): void; woken: number[] } {
  const woken: number[] = [];
  return { woken, wakeWorker: (w) => void woken.push(w) };
}

/** A core on its own: a fresh queue, a parker, statistics on a clock that does not move, seed (1, 2). */
function newCore(): Core {
  const [, runQueue] = local();
  const parker = new Parker(0, new SharedDriver(countingDriver()), wakeups());
  const stats = new Stats(new WorkerMetrics(), { now: () => 0 }, undefined);
  return new Core(runQueue, parker, stats, new FastRand(RngSeed.fromPair(1, 2)), false);
}

/** A real (notified) task, to put in a LIFO slot; its scheduler does nothing. */
function someTask(): RawTask {
  const scheduler: Schedule = { schedule: () => {}, yieldNow: () => {}, release: () => true };
  const [, task] = new OwnedTasks().bind(
    new (class extends FutureBase<void> {
      poll(): Poll<void> {
        return undefined;
      }
    })(),
    scheduler,
  );
  return task!;
}

/** Tokio's xorshift, written independently with BigInt arithmetic. */
function reference(one: number, two: number): { next(): number; nextN(n: number): number } {
  const M = 0xffff_ffffn;
  let s1 = BigInt(one);
  let s0 = BigInt(two);
  const next = () => {
    let a = s1;
    const b = s0;
    a = (a ^ (a << 17n)) & M;
    a = a ^ b ^ (a >> 7n) ^ (b >> 16n);
    s1 = b;
    s0 = a & M;
    return Number((b + s0) & M);
  };
  return { next, nextN: (n) => Number((BigInt(next()) * BigInt(n)) >> 32n) };
}

describe("Task 1: FastRand", () => {
  it("fastrand follows Tokio's xorshift step, output s0 + s1", () => {
    for (const [s, r] of [
      [0, 1],
      [1, 2],
      [0xdead_beef, 0x1234_5678],
      [0xffff_ffff, 0xffff_ffff],
    ] as const) {
      const mine = new FastRand(RngSeed.fromPair(s, r));
      const ref = reference(s, r);
      const got = Array.from({ length: 1000 }, () => mine.fastrand());
      const want = Array.from({ length: 1000 }, () => ref.next());
      expect(got, `the first 1000 outputs from the seed (${s}, ${r})`).toEqual(want);
    }
  });

  it("fastrandN(n) is (output * n) >> 32, exact even when the product passes 2^53", () => {
    for (const n of [1, 2, 3, 7, 1000, 0x7fff_ffff, 0xffff_ffff]) {
      const mine = new FastRand(RngSeed.fromPair(42, 4242));
      const ref = reference(42, 4242);
      for (let i = 0; i < 200; i++) {
        const want = ref.nextN(n);
        const got = mine.fastrandN(n);
        if (got !== want) throw new Error(`fastrandN(${n}), call ${i}: expected ${want}, got ${got}`);
      }
    }
  });

  it("fastrandN(n) stays in 0..n-1 and reaches every value", () => {
    const rand = new FastRand(RngSeed.fromPair(7, 9));
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rand.fastrandN(5);
      expect(v >= 0 && v < 5 && Number.isInteger(v), `fastrandN(5) gave ${v}`).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort(), "[...seen].sort()").toEqual([0, 1, 2, 3, 4]);
  });

  it("a seed of (0, 0) becomes (0, 1): the generator would otherwise give zeros forever", () => {
    const zero = RngSeed.fromPair(0, 0);
    expect({ s: zero.s, r: zero.r }).toEqual({ s: 0, r: 1 });
    const rand = new FastRand(zero);
    expect(Array.from({ length: 5 }, () => rand.fastrand()).some((v) => v !== 0)).toBe(true);
  });

  it("only the pair (0, 0) is replaced: a pair with a single zero word is kept as it is", () => {
    for (const [s, r] of [
      [5, 0],
      [0, 7],
      [0xffff_ffff, 0],
    ] as const) {
      const seed = RngSeed.fromPair(s, r);
      expect({ s: seed.s, r: seed.r }, `RngSeed.fromPair(${s}, ${r})`).toEqual({ s, r });
    }
  });

  it("RngSeed.fromNumber splits a seed into its high and low 32 bits", () => {
    const a = RngSeed.fromNumber(2 ** 40 + 5);
    expect({ s: a.s, r: a.r }).toEqual({ s: 256, r: 5 });
    const b = RngSeed.fromNumber(0xabcd);
    expect({ s: b.s, r: b.r }).toEqual({ s: 0, r: 0xabcd });
  });

  it("an RngSeedGenerator makes each seed from two outputs of its own generator", () => {
    const gen = new RngSeedGenerator(RngSeed.fromPair(3, 4));
    const ref = reference(3, 4);
    for (let i = 0; i < 4; i++) {
      const seed = gen.nextSeed();
      expect({ s: seed.s, r: seed.r }, `seed ${i}`).toEqual({ s: ref.next(), r: ref.next() });
    }
  });
});

describe("Task 2: Idle workers", () => {
  it("all workers start unparked, none searching, nobody asleep", () => {
    const idle = new Idle(4);
    expect({ unparked: idle.numUnparked, searching: idle.numSearching, sleepers: [...idle.sleepers] }).toEqual({
      unparked: 4,
      searching: 0,
      sleepers: [],
    });
    expect(idle.workerToNotify(), "nobody to wake").toBeUndefined();
  });

  it("fewer than half the workers may search: 2 of 4, 3 of 5", () => {
    const four = new Idle(4);
    expect([1, 2, 3].map(() => four.transitionWorkerToSearching()), "4 workers").toEqual([true, true, false]);
    expect(four.numSearching, "four.numSearching").toBe(2);
    const five = new Idle(5);
    expect([1, 2, 3, 4].map(() => five.transitionWorkerToSearching()), "5 workers").toEqual([true, true, true, false]);
    const one = new Idle(1);
    expect([one.transitionWorkerToSearching(), one.transitionWorkerToSearching()], "1 worker").toEqual([true, false]);
  });

  it("the last searcher to stop searching is told so (and must wake another worker)", () => {
    const idle = new Idle(4);
    idle.transitionWorkerToSearching();
    idle.transitionWorkerToSearching();
    expect(idle.transitionWorkerFromSearching(), "first of two").toBe(false);
    expect(idle.transitionWorkerFromSearching(), "the last").toBe(true);
    expect(idle.numSearching, "idle.numSearching").toBe(0);
  });

  it("parking counts the worker out, records it as a sleeper, and tells the last searcher", () => {
    const idle = new Idle(3);
    idle.transitionWorkerToSearching();
    expect(idle.transitionWorkerToParked(2, false), "not searching").toBe(false);
    expect(idle.transitionWorkerToParked(0, true), "the only searcher").toBe(true);
    expect({ unparked: idle.numUnparked, searching: idle.numSearching, sleepers: [...idle.sleepers] }).toEqual({
      unparked: 1,
      searching: 0,
      sleepers: [2, 0],
    });
    expect([idle.isParked(0), idle.isParked(1), idle.isParked(2)]).toEqual([true, false, true]);
  });

  it("a sleeper is woken only when nobody searches; it is the last to have parked, and it counts as searching", () => {
    const idle = new Idle(3);
    idle.transitionWorkerToParked(1, false);
    idle.transitionWorkerToParked(2, false);
    idle.transitionWorkerToSearching();
    expect(idle.workerToNotify(), "worker 0 is searching: wake nobody").toBeUndefined();
    idle.transitionWorkerFromSearching();
    expect(idle.workerToNotify(), "nobody searching: the last sleeper").toBe(2);
    expect({ unparked: idle.numUnparked, searching: idle.numSearching, sleepers: [...idle.sleepers] }).toEqual({
      unparked: 2,
      searching: 1,
      sleepers: [1],
    });
    expect(idle.workerToNotify(), "the woken worker searches now").toBeUndefined();
  });

  it("parking a searcher that is not the last one searching tells it nothing", () => {
    const idle = new Idle(4);
    idle.transitionWorkerToSearching();
    idle.transitionWorkerToSearching();
    expect(idle.transitionWorkerToParked(0, true), "one of two searchers parks: another still searches").toBe(false);
    expect(idle.numSearching, "idle.numSearching").toBe(1);
    expect(idle.transitionWorkerToParked(1, true), "the last searcher parks").toBe(true);
    expect(idle.numSearching, "idle.numSearching").toBe(0);
  });

  it("a worker that wakes with work takes itself off the sleepers (Rust's swap_remove)", () => {
    const idle = new Idle(4);
    for (const w of [0, 1, 2]) idle.transitionWorkerToParked(w, false);
    expect(idle.unparkWorkerById(0), "idle.unparkWorkerById(0)").toBe(true);
    expect([...idle.sleepers], "the last sleeper took the removed one's place").toEqual([2, 1]);
    expect(idle.numUnparked, "idle.numUnparked").toBe(2);
    expect(idle.unparkWorkerById(0), "not asleep any more").toBe(false);
    expect(idle.numUnparked, "idle.numUnparked").toBe(2);
  });
});

describe("Task 3: The worker loop", () => {
  const clockAt = (t: { now: number }) => ({ now: () => t.now });

  it("the tuned interval starts at 61: 200 µs over a mean poll time seeded at 200 µs / 61", () => {
    const stats = new Stats(new WorkerMetrics(), clockAt({ now: 0 }), undefined);
    expect(stats.tunedGlobalQueueInterval(), "stats.tunedGlobalQueueInterval()").toBe(61);
  });

  it("a configured interval is never tuned", () => {
    const time = { now: 0 };
    const stats = new Stats(new WorkerMetrics(), clockAt(time), 17);
    stats.startProcessingScheduledTasks();
    for (let i = 0; i < 10; i++) stats.startPoll();
    time.now += 50;
    stats.endProcessingScheduledTasks();
    expect(stats.tunedGlobalQueueInterval(), "stats.tunedGlobalQueueInterval()").toBe(17);
  });

  it("a batch moves the average by 1 - 0.9^polls toward its mean poll time", () => {
    const time = { now: 1000 };
    const metrics = new WorkerMetrics();
    const stats = new Stats(metrics, clockAt(time), undefined);
    stats.startProcessingScheduledTasks();
    for (let i = 0; i < 4; i++) stats.startPoll();
    time.now += 0.04; // 4 polls, 10 µs each
    stats.endProcessingScheduledTasks();
    const alpha = 1 - 0.9 ** 4;
    const expected = alpha * 0.01 + (1 - alpha) * (0.2 / 61);
    expect(stats.taskPollTimeEwma, "the average, in milliseconds").toBeCloseTo(expected, 12);
    expect(stats.tunedGlobalQueueInterval(), "200 µs over the new average").toBe(Math.floor(0.2 / expected));
    expect(metrics.pollCount, "startPoll counts polls").toBe(4);
  });

  it("a batch with no polls leaves the average alone", () => {
    const time = { now: 0 };
    const stats = new Stats(new WorkerMetrics(), clockAt(time), undefined);
    const before = stats.taskPollTimeEwma;
    stats.startProcessingScheduledTasks();
    time.now += 5;
    stats.endProcessingScheduledTasks();
    expect(stats.taskPollTimeEwma, "stats.taskPollTimeEwma").toBe(before);
  });

  it("the tuned interval is clamped to 2..127 (slow polls, and a clock that does not move)", () => {
    const time = { now: 0 };
    const slow = new Stats(new WorkerMetrics(), clockAt(time), undefined);
    slow.startProcessingScheduledTasks();
    for (let i = 0; i < 50; i++) slow.startPoll();
    time.now += 50; // 1 ms per poll
    slow.endProcessingScheduledTasks();
    expect(slow.tunedGlobalQueueInterval(), "slow polls: at least 2").toBe(2);
    const paused = new Stats(new WorkerMetrics(), clockAt({ now: 0 }), undefined);
    paused.startProcessingScheduledTasks();
    for (let i = 0; i < 100; i++) paused.startPoll();
    paused.endProcessingScheduledTasks();
    expect(paused.tunedGlobalQueueInterval(), "zero-time polls: at most 127").toBe(127);
  });

  it("core.hasTasks: the LIFO slot or the run queue holds a task", () => {
    const core = newCore();
    expect(core.hasTasks(), "a new core").toBe(false);
    core.lifoSlot = someTask();
    expect(core.hasTasks(), "a task in the LIFO slot only").toBe(true);
    core.lifoSlot = null;
    core.runQueue.pushBack([5], 1);
    expect(core.hasTasks(), "a task in the run queue only").toBe(true);
  });

  it("core.shouldNotifyOthers: more than one task between the LIFO slot and the queue, and not searching", () => {
    const cases: [string, boolean, number, boolean][] = [
      // what, a task in the LIFO slot, tasks in the queue, expected
      ["nothing", false, 0, false],
      ["the LIFO slot alone", true, 0, false],
      ["one queued task", false, 1, false],
      ["the LIFO slot and one queued task", true, 1, true],
      ["two queued tasks", false, 2, true],
      ["the LIFO slot and two queued tasks", true, 2, true],
    ];
    for (const [what, lifo, queued, expected] of cases) {
      const core = newCore();
      if (lifo) core.lifoSlot = someTask();
      core.runQueue.pushBack([1, 2, 3], queued);
      expect(core.shouldNotifyOthers(), what).toBe(expected);
      core.isSearching = true;
      expect(core.shouldNotifyOthers(), `${what}, while searching`).toBe(false);
    }
  });

  it("core.maintenance publishes the queue depth and notices a closed inject queue", () => {
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(1).build();
    const shared = rt.handle().inner as MultiThreadHandle;
    const core = newCore();
    core.runQueue.pushBack([4, 5, 6], 3);
    core.maintenance(shared);
    expect(core.metrics.localQueueDepth, "localQueueDepth after maintenance").toBe(3);
    expect(core.isShutdown, "the inject queue is open").toBe(false);
    rt.shutdown();
    core.maintenance(shared);
    expect(core.isShutdown, "the runtime shut down: its inject queue is closed").toBe(true);
  });

  it("core.tuneGlobalQueueInterval adopts the tuned interval only when it moved by more than 2", () => {
    // The tuned interval is floor(0.2 / average): set the average so that it gives the interval wanted.
    const tunedTo = (core: Core, interval: number) => {
      core.stats.taskPollTimeEwma = 0.2 / (interval + 0.5);
      expect(core.stats.tunedGlobalQueueInterval(), "the statistics' tuned interval").toBe(interval);
      core.tuneGlobalQueueInterval();
      return core.globalQueueInterval;
    };
    const cases: [number, number][] = [
      [63, 61],
      [64, 64],
      [59, 61],
      [58, 58],
      [127, 127],
    ];
    for (const [tuned, expected] of cases) {
      const core = newCore();
      expect(core.globalQueueInterval, "a new core starts at the tuned interval").toBe(61);
      expect(tunedTo(core, tuned), `from 61, the statistics say ${tuned}`).toBe(expected);
    }
  });
});

describe("Task 4: Stealing, searching and parking", () => {
  it("SharedDriver is a try-lock: one holder at a time, and only the holder may unlock it", () => {
    const lock = new SharedDriver(countingDriver());
    expect(lock.holder, "free").toBe(-1);
    expect(lock.tryLock(2), "worker 2 takes the free lock").toBe(true);
    expect(lock.holder, "lock.holder").toBe(2);
    expect(lock.tryLock(1), "worker 1 while worker 2 holds it").toBe(false);
    expect(() => lock.unlock(1), "worker 1 unlocks a lock held by worker 2").toThrow();
    expect(lock.holder, "still worker 2's").toBe(2);
    lock.unlock(2);
    expect(lock.holder, "free again").toBe(-1);
    expect(lock.tryLock(1), "worker 1 takes it now").toBe(true);
    expect(lock.tryLock(1), "worker 1 again: the lock is not reentrant").toBe(false);
  });

  it("park sleeps in the driver if the lock is free, else on the condvar; unpark wakes only a parked worker", () => {
    const driver = countingDriver();
    const lock = new SharedDriver(driver);
    const interleaver = wakeups();
    const p0 = new Parker(0, lock, interleaver);
    const p1 = new Parker(1, lock, interleaver);
    expect([p0.state, p1.state], "new parkers").toEqual([EMPTY, EMPTY]);
    expect(p0.park(), "worker 0 blocks").toBe(true);
    expect([p0.state, lock.holder], "worker 0 sleeps in the driver").toEqual([PARKED_DRIVER, 0]);
    expect(p1.park(), "worker 1 blocks").toBe(true);
    expect(p1.state, "worker 1 sleeps on its condvar: the driver is taken").toBe(PARKED_CONDVAR);

    p1.unpark();
    expect([p1.state, interleaver.woken], "unpark of a worker on its condvar").toEqual([NOTIFIED, [1]]);
    p1.resume();
    expect([p1.state, driver.turns, lock.holder], "worker 1 resumes: it did not hold the driver").toEqual([EMPTY, 0, 0]);

    p0.unpark();
    expect([p0.state, interleaver.woken], "unpark of the worker in the driver").toEqual([NOTIFIED, [1, 0]]);
    p0.resume();
    expect([p0.state, driver.turns, lock.holder], "worker 0 resumes: it turns the driver and lets go").toEqual([
      EMPTY,
      1,
      -1,
    ]);

    p0.unpark();
    expect([p0.state, interleaver.woken], "unpark of a worker that is not parked: a notification, no wakeup").toEqual([
      NOTIFIED,
      [1, 0],
    ]);
    expect(p0.park(), "a stored notification: park returns at once").toBe(false);
    expect([p0.state, lock.holder], "the notification is consumed, the lock not taken").toEqual([EMPTY, -1]);
  });

  it("resume lets go of the driver even when its turn throws", () => {
    const driver = countingDriver();
    const lock = new SharedDriver(driver);
    const parker = new Parker(3, lock, wakeups());
    parker.park();
    driver.failing = true;
    expect(() => parker.resume(), "the driver's error comes out of resume").toThrow("turn failed");
    expect(lock.holder, "the lock after a failed turn").toBe(-1);
  });

  it("parkYield turns the driver only when nobody holds it, never blocks, and leaves the state alone", () => {
    const driver = countingDriver();
    const lock = new SharedDriver(driver);
    const p0 = new Parker(0, lock, wakeups());
    const p1 = new Parker(1, lock, wakeups());
    expect(p0.parkYield(), "the driver is free").toBe(true);
    expect([driver.turns, lock.holder, p0.state], "turned once, lock free again, state untouched").toEqual([1, -1, EMPTY]);
    p1.park();
    p0.unpark();
    expect(p0.parkYield(), "worker 1 sleeps in the driver").toBe(false);
    expect([driver.turns, lock.holder, p0.state], "no turn; the notification is still there").toEqual([1, 1, NOTIFIED]);
    p1.unpark();
    p1.resume();
    expect(p0.parkYield(), "worker 1 let go of the driver").toBe(true);
    expect([driver.turns, lock.holder, p0.state], "worker 1's turn and worker 0's").toEqual([3, -1, NOTIFIED]);
  });
});
