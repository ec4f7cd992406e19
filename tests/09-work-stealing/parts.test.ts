/**
 * Hidden suite of chapter 09, the parts on their own: FastRand (Task 1), Idle (Task 2), and the statistics that
 * tune the global queue interval (Task 3).
 */
import { describe, expect, it } from "vitest";
import { WorkerMetrics } from "#kata/07-current-thread";
import { FastRand, Idle, RngSeed, RngSeedGenerator, Stats } from "#kata/09-work-stealing";

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
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("a seed of (0, 0) becomes (0, 1): the generator would otherwise give zeros forever", () => {
    const zero = RngSeed.fromPair(0, 0);
    expect({ s: zero.s, r: zero.r }).toEqual({ s: 0, r: 1 });
    const rand = new FastRand(zero);
    expect(Array.from({ length: 5 }, () => rand.fastrand()).some((v) => v !== 0)).toBe(true);
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
    expect(four.numSearching).toBe(2);
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
    expect(idle.numSearching).toBe(0);
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

  it("a worker that wakes with work takes itself off the sleepers (Rust's swap_remove)", () => {
    const idle = new Idle(4);
    for (const w of [0, 1, 2]) idle.transitionWorkerToParked(w, false);
    expect(idle.unparkWorkerById(0)).toBe(true);
    expect([...idle.sleepers], "the last sleeper took the removed one's place").toEqual([2, 1]);
    expect(idle.numUnparked).toBe(2);
    expect(idle.unparkWorkerById(0), "not asleep any more").toBe(false);
    expect(idle.numUnparked).toBe(2);
  });
});

describe("Task 3: The worker loop", () => {
  const clockAt = (t: { now: number }) => ({ now: () => t.now });

  it("the tuned interval starts at 61: 200 µs over a mean poll time seeded at 200 µs / 61", () => {
    const stats = new Stats(new WorkerMetrics(), clockAt({ now: 0 }), undefined);
    expect(stats.tunedGlobalQueueInterval()).toBe(61);
  });

  it("a configured interval is never tuned", () => {
    const time = { now: 0 };
    const stats = new Stats(new WorkerMetrics(), clockAt(time), 17);
    stats.startProcessingScheduledTasks();
    for (let i = 0; i < 10; i++) stats.startPoll();
    time.now += 50;
    stats.endProcessingScheduledTasks();
    expect(stats.tunedGlobalQueueInterval()).toBe(17);
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
    expect(stats.taskPollTimeEwma).toBe(before);
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
});
