/**
 * Task 3: runtime metrics (tokio-metrics' RuntimeMonitor) over the counters of chapters 07 and 09. The oracle is
 * the runtime's own `metrics()`: the monitor must report exactly the deltas and gauges they imply.
 */
import { describe, expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import type { JoinHandle } from "#kata/06-task";
import { Builder, Handle, spawn, type RuntimeMetrics } from "#kata/09-work-stealing";
import { SimNetwork } from "#kata/10-mio";
import { TcpListener, TcpStream, writeAll } from "#kata/11-io-driver";
import { advance, sleep } from "#kata/13-time";
import { consumeBudget, yieldNow } from "#kata/14-blocking";
import { RuntimeMonitor } from "#kata/19-capstone";
import { onRuntime } from "../_support/19-capstone.ts";

const COUNTED = ["pollCount", "parkCount", "noopCount", "localScheduleCount", "stealCount", "stealOperations", "overflowCount"] as const;

function perWorker(m: RuntimeMetrics): Record<(typeof COUNTED)[number], number>[] {
  return Array.from({ length: m.numWorkers() }, (_, i) => {
    const w = m.worker(i);
    return Object.fromEntries(COUNTED.map((k) => [k, w[k]])) as Record<(typeof COUNTED)[number], number>;
  });
}

function* yielders(n: number, times: number) {
  const joins: JoinHandle<void>[] = [];
  for (let i = 0; i < n; i++) {
    joins.push(
      spawn(
        asyncBlock(function* () {
          for (let k = 0; k < times; k++) yield* yieldNow();
        }),
      ),
    );
  }
  for (const j of joins) yield* j;
}

describe("Task 3: Runtime metrics", () => {
  it("the first sample counts from the call to intervals(), the next one from the previous sample", async () => {
    const [first, second, polls] = await onRuntime(function* () {
      yield* yielders(5, 2); // before the monitor: not counted
      const m = Handle.current().metrics();
      const intervals = new RuntimeMonitor(Handle.current()).intervals();
      const before = m.worker(0).pollCount;
      yield* yielders(3, 1);
      const mid = m.worker(0).pollCount;
      const first = intervals.next().value;
      yield* yielders(2, 4);
      const second = intervals.next().value;
      return [first, second, [mid - before, m.worker(0).pollCount - mid]] as const;
    });
    expect(first.workersCount, "first.workersCount").toBe(1);
    expect(first.totalPollsCount, "task polls between intervals() and the first sample").toBe(polls[0]);
    expect(first.totalPollsCount, "first.totalPollsCount").toBe(6);
    expect(second.totalPollsCount, "only what happened since the first sample").toBe(polls[1]);
    expect([first.maxPollsCount, first.minPollsCount], "one worker: max = min = total").toEqual([6, 6]);
  });

  it("per-worker counters: the total, the largest and the smallest of the workers' deltas", async () => {
    const { sample, before, after } = await onRuntime(
      function* () {
        const m = Handle.current().metrics();
        const intervals = new RuntimeMonitor(Handle.current()).intervals();
        const before = perWorker(m);
        yield* yielders(40, 3);
        const after = perWorker(m);
        return { sample: intervals.next().value, before, after };
      },
      { workers: 3 },
    );
    expect(sample.workersCount, "sample.workersCount").toBe(3);
    const names = {
      pollCount: "PollsCount",
      parkCount: "ParkCount",
      noopCount: "NoopCount",
      localScheduleCount: "LocalScheduleCount",
      stealCount: "StealCount",
      stealOperations: "StealOperations",
      overflowCount: "OverflowCount",
    } as const;
    const s = sample as unknown as Record<string, number>;
    for (const key of COUNTED) {
      const deltas = after.map((w, i) => w[key] - before[i]![key]);
      const name = names[key];
      expect(
        [s[`total${name}`], s[`max${name}`], s[`min${name}`]],
        `total/max/min of the ${key} deltas ${JSON.stringify(deltas)}`,
      ).toEqual([deltas.reduce((a, b) => a + b, 0), Math.max(...deltas), Math.min(...deltas)]);
    }
    expect(sample.totalPollsCount, "40 tasks polled 4 times each").toBe(160);
  });

  it("remote schedules and forced yields are counted since the previous sample", async () => {
    const rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
    try {
      const intervals = new RuntimeMonitor(rt.handle()).intervals();
      rt.spawn(asyncBlock(function* () {}));
      rt.spawn(asyncBlock(function* () {}));
      const samples = await rt.blockOn(
        asyncBlock(function* () {
          const first = intervals.next().value;
          yield* spawn(
            asyncBlock(function* () {
              for (let i = 0; i < 300; i++) yield* consumeBudget();
            }),
          );
          return [first, intervals.next().value] as const;
        }),
      );
      expect(samples[0].numRemoteSchedules, "two spawns from outside the runtime").toBe(2);
      expect(samples[1].numRemoteSchedules, "samples[1].numRemoteSchedules").toBe(0);
      expect(samples[0].budgetForcedYieldCount, "samples[0].budgetForcedYieldCount").toBe(0);
      expect(samples[1].budgetForcedYieldCount, "300 units from budgets of 128: two forced yields").toBe(2);
    } finally {
      rt.shutdown();
    }
  });

  it("gauges are read as they stand: live tasks, the global queue, the blocking pool, the local queues", () => {
    const rt = Builder.newCurrentThread().build();
    try {
      const intervals = new RuntimeMonitor(rt.handle(), () => 0).intervals();
      for (let i = 0; i < 3; i++) rt.spawn(asyncBlock(function* () {}));
      const s = intervals.next().value;
      expect([s.liveTasksCount, s.globalQueueDepth], "three tasks waiting in the inject queue").toEqual([3, 3]);
      expect([s.blockingQueueDepth, s.blockingThreadsCount, s.idleBlockingThreadsCount]).toEqual([0, 0, 0]);
      expect([s.totalLocalQueueDepth, s.maxLocalQueueDepth, s.minLocalQueueDepth]).toEqual([0, 0, 0]);
      expect([s.ioDriverFdCount, s.ioDriverReadyCount], "I/O disabled").toEqual([0, 0]);
      expect(intervals.next().value.liveTasksCount, "a gauge is not a delta").toBe(3);
    } finally {
      rt.shutdown();
    }
  });

  it("elapsed is the time between samples on the monitor's clock (the runtime's by default)", async () => {
    const [a, b] = await onRuntime(function* () {
      const intervals = new RuntimeMonitor(Handle.current()).intervals();
      yield* advance(250);
      const a = intervals.next().value;
      yield* sleep(40);
      return [a, intervals.next().value];
    });
    expect([a.elapsed, b.elapsed]).toEqual([250, 40]);
  });

  it("the I/O driver: sockets registered now, and events dispatched since the previous sample", async () => {
    const out = await onRuntime(
      function* () {
        const io = Handle.current().driver.io!;
        const intervals = new RuntimeMonitor(Handle.current()).intervals();
        const listener = yield* TcpListener.bind("10.0.0.1:9");
        const a = intervals.next().value;
        const ready0 = io.metrics.readyCount;
        const client = yield* TcpStream.connect("10.0.0.1:9");
        const [server] = yield* listener.accept();
        yield* writeAll(client, new Uint8Array([1, 2, 3]));
        yield* sleep(1);
        const b = intervals.next().value;
        const dispatched = io.metrics.readyCount - ready0;
        client.close();
        server.close();
        const c = intervals.next().value;
        listener.close();
        return { a, b, c, dispatched };
      },
      { network: new SimNetwork() },
    );
    expect(out.a.ioDriverFdCount, "the listener").toBe(1);
    expect(out.b.ioDriverFdCount, "the listener and both ends of a connection").toBe(3);
    expect(out.c.ioDriverFdCount, "out.c.ioDriverFdCount").toBe(1);
    expect(out.dispatched, "out.dispatched").toBeGreaterThan(0);
    expect(out.b.ioDriverReadyCount, "events dispatched between the first and the second sample").toBe(out.dispatched);
  });
});
