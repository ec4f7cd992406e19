/**
 * Task 5: diagnosing seed 16's production scenarios from the metrics. First each rule on observations built by
 * hand, at its edges; then the four scenario programs (given code), bad and fixed, measured by the learner's
 * monitors (Tasks 1 and 3).
 */
import { describe, expect, it } from "vitest";
import {
  TaskMetrics,
  ZERO_COUNTERS,
  blockingPool,
  connectionLeak,
  diagnose,
  hotMutex,
  saturatedWorker,
  type Observation,
  type RuntimeIntervalMetrics,
  type TaskCounters,
} from "#kata/19-capstone";

function sample(over: Partial<RuntimeIntervalMetrics> = {}): RuntimeIntervalMetrics {
  const zero = {
    workersCount: 1, liveTasksCount: 0, elapsed: 0, globalQueueDepth: 0, numRemoteSchedules: 0, budgetForcedYieldCount: 0,
    totalParkCount: 0, maxParkCount: 0, minParkCount: 0, totalNoopCount: 0, maxNoopCount: 0, minNoopCount: 0,
    totalStealCount: 0, maxStealCount: 0, minStealCount: 0, totalStealOperations: 0, maxStealOperations: 0, minStealOperations: 0,
    totalLocalScheduleCount: 0, maxLocalScheduleCount: 0, minLocalScheduleCount: 0, totalOverflowCount: 0, maxOverflowCount: 0,
    minOverflowCount: 0, totalPollsCount: 0, maxPollsCount: 0, minPollsCount: 0, totalBusyDuration: 0, maxBusyDuration: 0,
    minBusyDuration: 0, totalLocalQueueDepth: 0, maxLocalQueueDepth: 0, minLocalQueueDepth: 0, blockingQueueDepth: 0,
    blockingThreadsCount: 0, idleBlockingThreadsCount: 0, ioDriverFdCount: 1, ioDriverReadyCount: 0,
  };
  return { ...zero, ...over };
}

const tasks = (over: Partial<TaskCounters> = {}) => new TaskMetrics({ ...ZERO_COUNTERS, ...over });

function obs(over: Partial<Observation> = {}): Observation {
  return { runtime: [sample()], handlers: tasks(), locks: null, ...over };
}

describe("Task 5: Diagnosing the production scenarios", () => {
  it("a healthy observation shows no problem", () => {
    expect(diagnose(obs({ runtime: [sample(), sample(), sample()], locks: tasks({ instrumentedCount: 10 }) }))).toEqual([]);
  });

  it("connection leak: the registered sockets grow from every sample to the next (two samples at least)", () => {
    const fds = (...n: number[]) => n.map((ioDriverFdCount) => sample({ ioDriverFdCount }));
    expect(diagnose(obs({ runtime: fds(1, 6, 11) }))).toEqual(["connection-leak"]);
    expect(diagnose(obs({ runtime: fds(1, 2) }))).toEqual(["connection-leak"]);
    expect(diagnose(obs({ runtime: fds(1, 6, 6) })), "it stopped growing").toEqual([]);
    expect(diagnose(obs({ runtime: fds(9, 1, 5) })), "it went down once").toEqual([]);
    expect(diagnose(obs({ runtime: fds(40) })), "one sample shows no trend").toEqual([]);
  });

  it("hot mutex: more than half of the lock acquisitions had to wait", () => {
    expect(diagnose(obs({ locks: tasks({ instrumentedCount: 10, totalIdledCount: 6 }) }))).toEqual(["hot-mutex"]);
    expect(diagnose(obs({ locks: tasks({ instrumentedCount: 10, totalIdledCount: 5 }) })), "exactly half").toEqual([]);
    expect(diagnose(obs({ handlers: tasks({ instrumentedCount: 10, totalIdledCount: 9 }) })), "handlers waiting on other things").toEqual([]);
  });

  it("saturated worker: slow polls, and more than half of the wake-ups waited long", () => {
    const long = { totalScheduledCount: 10, totalLongDelayCount: 6, totalShortDelayCount: 4 };
    expect(diagnose(obs({ handlers: tasks({ ...long, totalSlowPollCount: 1 }) }))).toEqual(["saturated-worker"]);
    expect(diagnose(obs({ handlers: tasks({ ...long, totalSlowPollCount: 0 }) })), "no slow poll").toEqual([]);
    expect(
      diagnose(obs({ handlers: tasks({ totalScheduledCount: 10, totalLongDelayCount: 5, totalSlowPollCount: 3 }) })),
      "exactly half waited long",
    ).toEqual([]);
    expect(diagnose(obs({ handlers: tasks({ totalSlowPollCount: 3 }) })), "no wake-up at all (the ratio is NaN)").toEqual([]);
  });

  it("blocking pool exhausted: jobs wait for a thread at the last sample; several problems come in table order", () => {
    expect(diagnose(obs({ runtime: [sample({ blockingQueueDepth: 2 }), sample()] })), "only the last sample counts").toEqual([]);
    expect(diagnose(obs({ runtime: [sample(), sample({ blockingQueueDepth: 1, ioDriverFdCount: 3 })], locks: tasks({ instrumentedCount: 1, totalIdledCount: 1 }) }))).toEqual([
      "connection-leak",
      "hot-mutex",
      "blocking-pool-exhausted",
    ]);
  });

  it("scenario: connections kept open are a leak; closing them is not", async () => {
    const bad = await connectionLeak({ leak: true });
    expect(bad.runtime.map((s) => s.ioDriverFdCount), "the listener, then 5 more sockets per round").toEqual([1, 6, 11, 16]);
    expect(diagnose(bad), "diagnose(bad)").toEqual(["connection-leak"]);
    const good = await connectionLeak({ leak: false });
    expect(good.runtime.map((s) => s.ioDriverFdCount)).toEqual([1, 1, 1, 1]);
    expect(good.handlers.droppedCount, "15 connections served").toBe(15);
    expect(diagnose(good), "diagnose(good)").toEqual([]);
  });

  it("scenario: a lock held across a slow call is hot; copying out and unlocking first is not", async () => {
    const bad = await hotMutex({ holdAcrossAwait: true });
    expect([bad.locks!.instrumentedCount, bad.locks!.totalIdledCount], "9 of the 10 acquisitions waited").toEqual([10, 9]);
    expect(diagnose(bad), "diagnose(bad)").toEqual(["hot-mutex"]);
    const good = await hotMutex({ holdAcrossAwait: false });
    expect([good.locks!.instrumentedCount, good.locks!.totalIdledCount]).toEqual([20, 0]);
    expect(diagnose(good), "diagnose(good)").toEqual([]);
  });

  it("scenario: a dispatcher that never yields saturates the worker; yielding after each request does not", async () => {
    const bad = await saturatedWorker({ yieldBetweenRequests: false });
    expect(bad.handlers.totalSlowPollCount, "the dispatcher's 8 ms polls").toBe(5);
    expect(bad.handlers.longDelayRatio(), "bad.handlers.longDelayRatio()").toBeGreaterThan(0.5);
    expect(diagnose(bad), "diagnose(bad)").toEqual(["saturated-worker"]);
    const good = await saturatedWorker({ yieldBetweenRequests: true });
    expect(good.handlers.totalLongDelayCount, "good.handlers.totalLongDelayCount").toBe(0);
    expect(diagnose(good), "diagnose(good)").toEqual([]);
  });

  it("scenario: four blocking jobs on two threads exhaust the pool; two do not (real threads)", { timeout: 30_000 }, async () => {
    const bad = await blockingPool({ jobs: 4 });
    expect([bad.runtime[0]!.blockingThreadsCount, bad.runtime[0]!.blockingQueueDepth], "[threads, queued]").toEqual([2, 2]);
    expect(diagnose(bad), "diagnose(bad)").toEqual(["blocking-pool-exhausted"]);
    const good = await blockingPool({ jobs: 2 });
    expect(diagnose(good), "diagnose(good)").toEqual([]);
  });
});
