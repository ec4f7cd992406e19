/**
 * Hidden suite of chapter 09, the scheduler at work: the worker loop (Task 3) and stealing, searching and parking
 * (Task 4). Every runtime is seeded and its trace recorded; tests read the trace and the counters, never the time.
 */
import { describe, expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { JoinError, type JoinHandle } from "#kata/06-task";
import { sleep } from "#kata/13-time";
import { budgetRemaining, consumeBudget, stop, yieldNow } from "#kata/14-blocking";
import {
  Builder,
  MAX_LIFO_POLLS_PER_TICK,
  spawn,
  type MultiThreadHandle,
  type Runtime,
  type TraceEvent,
} from "#kata/09-work-stealing";
import {
  Countdown,
  Mailbox,
  macrotasks,
  recorder,
  runOrStall,
  selfWake,
  shutdown,
  steps,
} from "../_support/09-work-stealing.ts";
import { rng, seeds, withSeed } from "../_support/seed.ts";

const inner = (rt: Runtime) => rt.handle().inner as MultiThreadHandle;
const polls = (events: TraceEvent[]) => events.filter((e): e is Extract<TraceEvent, { kind: "poll" }> => e.kind === "poll");

/** A task that yields (waking itself during its poll) `n` times, then returns `value`. */
/**
 * Spawns `n` tasks from outside the runtime (so into its inject queue), each recording the inject queue's length
 * when it runs, checks that all `n` wait there, and joins them: the lengths, in the order the tasks ran.
 */
async function injectLengthsSeen(rt: Runtime, n: number): Promise<number[]> {
  const queue = inner(rt).inject;
  const seen: number[] = [];
  const js: JoinHandle<void>[] = [];
  for (let i = 0; i < n; i++) {
    js.push(
      rt.spawn(
        asyncBlock(function* () {
          seen.push(queue.length);
        }),
      ),
    );
  }
  expect(queue.length, `the ${n} tasks spawned from outside wait in the inject queue`).toBe(n);
  await rt.blockOn(
    asyncBlock(function* () {
      for (const j of js) yield* j;
    }),
  );
  return seen;
}

const yielder = <T>(n: number, value: T) =>
  asyncBlock(function* () {
    for (let i = 0; i < n; i++) yield* selfWake();
    return value;
  });

describe("Task 3: The worker loop", () => {
  it("a message-passing pair runs through the LIFO slot: the receiver is polled next, on the sender's worker", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(31).traceSink(sink).build();
    try {
      const ids = await rt.blockOn(
        asyncBlock(function* () {
          const toA = new Mailbox<number>();
          const toB = new Mailbox<number>();
          const a = spawn(
            asyncBlock(function* () {
              for (let i = 0; i < 30; i++) {
                toB.send(i);
                yield* toA.recv();
              }
            }),
          );
          const b = spawn(
            asyncBlock(function* () {
              for (let i = 0; i < 30; i++) toA.send(yield* toB.recv());
            }),
          );
          yield* a;
          yield* b;
          return new Set([a.id, b.id]);
        }),
      );
      // Every wake into a LIFO slot is followed, on that worker, by the poll of the woken task from the slot.
      let checked = 0;
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.kind !== "wake" || e.remote || !e.lifo || !ids.has(e.task)) continue;
        const next = events.slice(i + 1).find((x) => x.kind === "poll" && x.worker === e.worker);
        expect(next, `the poll after the wake of task ${e.task} at step ${e.step}`).toMatchObject({
          task: e.task,
          source: "lifo",
        });
        checked++;
      }
      expect(checked, "wakes into the LIFO slot").toBeGreaterThan(30);
      expect(inner(rt).counters.lifoSchedules, "polls straight from the LIFO slot").toBeGreaterThan(30);
    } finally {
      rt.shutdown();
    }
  });

  it("the LIFO cap: a ping-pong pair cannot keep a queued task waiting for more than 3 LIFO polls", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(5).traceSink(sink).build();
    try {
      const exchangesSeenByVictim = await rt.blockOn(
        asyncBlock(function* () {
          const toA = new Mailbox<number>();
          const toB = new Mailbox<number>();
          let exchanges = 0;
          let seen = -1;
          const starter = spawn(
            asyncBlock(function* () {
              // The victim goes to the LIFO slot, then A displaces it into the queue.
              spawn(
                asyncBlock(function* () {
                  seen = exchanges;
                }),
              );
              toA.send(0);
              spawn(
                asyncBlock(function* () {
                  spawn(
                    asyncBlock(function* () {
                      for (let i = 0; i < 50; i++) {
                        yield* toB.recv();
                        exchanges++;
                        toA.send(i);
                      }
                    }),
                  );
                  for (let i = 0; i < 50; i++) {
                    yield* toA.recv();
                    exchanges++;
                    toB.send(i);
                  }
                }),
              );
            }),
          );
          yield* starter;
          while (seen < 0) yield* selfWake();
          return seen;
        }),
      );
      expect(exchangesSeenByVictim, "messages exchanged by the pair before the queued task ran").toBeLessThanOrEqual(
        MAX_LIFO_POLLS_PER_TICK,
      );
      expect(inner(rt).counters.lifoCapped, "times the cap bypassed the LIFO slot").toBeGreaterThan(0);
      expect(polls(events).some((p) => p.source === "lifo")).toBe(true);
    } finally {
      rt.shutdown();
    }
  });

  it("a LIFO chain shares its budget: the next task gets what the last poll left", async () => {
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(2).build();
    try {
      const seen = await rt.blockOn(
        asyncBlock(function* () {
          let budgetAtStart: number | undefined = -1;
          const parent = spawn(
            asyncBlock(function* () {
              for (let i = 0; i < 100; i++) yield* consumeBudget();
              spawn(
                asyncBlock(function* () {
                  budgetAtStart = budgetRemaining();
                }),
              );
            }),
          );
          yield* parent;
          while (budgetAtStart === -1) yield* selfWake();
          return budgetAtStart;
        }),
      );
      expect(seen, "the budget the LIFO task starts with: 128 - 100").toBe(28);
    } finally {
      rt.shutdown();
    }
  });

  it("a LIFO chain after a poll that called stop(): the next task runs unconstrained too", async () => {
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(2).build();
    try {
      const seen = await rt.blockOn(
        asyncBlock(function* () {
          let budgetAtStart: number | undefined = -1;
          const parent = spawn(
            asyncBlock(function* () {
              yield* consumeBudget();
              stop();
              spawn(
                asyncBlock(function* () {
                  budgetAtStart = budgetRemaining();
                }),
              );
            }),
          );
          yield* parent;
          while (budgetAtStart === -1) yield* selfWake();
          return budgetAtStart;
        }),
      );
      expect(seen, "budgetRemaining() in the LIFO task after its waker's poll called stop()").toBeUndefined();
    } finally {
      rt.shutdown();
    }
  });

  it("a LIFO task found with no budget left waits at the back of the queue, and starts with a fresh budget", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(2).traceSink(sink).build();
    try {
      const [childId, seen] = await rt.blockOn(
        asyncBlock(function* () {
          let budgetAtStart: number | undefined = -1;
          let child: JoinHandle<void> | null = null;
          const parent = spawn(
            asyncBlock(function* () {
              for (let i = 0; i < 128; i++) yield* consumeBudget();
              child = spawn(
                asyncBlock(function* () {
                  budgetAtStart = budgetRemaining();
                }),
              );
            }),
          );
          yield* parent;
          while (budgetAtStart === -1) yield* selfWake();
          return [(child as JoinHandle<void> | null)!.id, budgetAtStart] as const;
        }),
      );
      expect(seen, "a fresh budget").toBe(128);
      expect(polls(events).find((p) => p.task === childId)?.source, "where the child came from").toBe("local");
    } finally {
      rt.shutdown();
    }
  });

  it("a worker looks at the inject queue first every globalQueueInterval ticks", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(1).globalQueueInterval(5).rngSeed(8).traceSink(sink).build();
    try {
      await rt.blockOn(
        asyncBlock(function* () {
          // Six tasks on the worker's own queue that keep yielding, so the local queue is never empty...
          const seed = spawn(
            asyncBlock(function* () {
              const js: JoinHandle<number>[] = [];
              for (let i = 0; i < 6; i++) js.push(spawn(yielder(60, i)));
              return js;
            }),
          );
          const locals = yield* seed;
          // ... and, from outside, ten tasks through the inject queue.
          const remotes: JoinHandle<number>[] = [];
          for (let i = 0; i < 10; i++) remotes.push(spawn(yielder(0, i)));
          for (const j of [...locals, ...remotes]) yield* j;
        }),
      );
      const sources = polls(events).map((p) => p.source);
      const firstInject = sources.indexOf("inject", 2);
      const injectAt = sources.flatMap((s, i) => (s === "inject" && i >= firstInject ? [i] : []));
      expect(injectAt.length, "polls of tasks from the inject queue").toBe(10);
      expect(
        injectAt.map((i) => i - firstInject),
        "positions, among the worker's polls, of the tasks taken from the inject queue",
      ).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    } finally {
      rt.shutdown();
    }
  });

  it("a worker with nothing local takes a fair share of the inject queue: length / workers + 1, not all of it", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(21).build();
    try {
      await macrotasks(3);
      const seen = await injectLengthsSeen(rt, 20);
      expect(seen[0], "tasks left in the inject queue when the first of them ran: 20 - (20 / 2 + 1)").toBe(9);
    } finally {
      rt.shutdown();
    }
  });

  it("a full local queue moves its newest half and the new task (129) to the inject queue in one batch", async () => {
    const { events, sink } = recorder();
    // Without a trace sink first (the overflow must not need one), then traced.
    const untraced = Builder.newMultiThread().workerThreads(1).rngSeed(22).build();
    try {
      const out = await untraced.blockOn(
        untraced.spawn(
          asyncBlock(function* () {
            const js: JoinHandle<number>[] = [];
            for (let i = 0; i < 300; i++) js.push(spawn(yielder(0, i)));
            let sum = 0;
            for (const j of js) sum += yield* j;
            return sum;
          }),
        ),
      );
      expect(out, "without a trace sink: every child ran").toBe((299 * 300) / 2);
      expect(untraced.metrics().worker(0).overflowCount, "without a trace sink: overflowCount").toBe(1);
    } finally {
      untraced.shutdown();
    }
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(22).traceSink(sink).build();
    try {
      const queue = inner(rt).inject;
      const work = asyncBlock(function* () {
        const parent = spawn(
          asyncBlock(function* () {
            // 300 spawns: the LIFO slot takes each one and pushes the one before it to the queue (256 slots).
            const js: JoinHandle<number>[] = [];
            for (let i = 0; i < 300; i++) js.push(spawn(yielder(0, i)));
            return { js, injected: queue.length };
          }),
        );
        const { js, injected } = yield* parent;
        let sum = 0;
        for (const j of js) sum += yield* j;
        return { injected, sum };
      });
      const out = await runOrStall(rt, work, () => `${queue.length} tasks in the inject queue`);
      expect(out.injected, "tasks in the inject queue right after the 300 spawns").toBe(129);
      expect(out.sum, "every child ran, those moved to the inject queue too").toBe((299 * 300) / 2);
      const overflows = events.filter((e) => e.kind === "overflow");
      expect(overflows, "overflow events").toEqual([expect.objectContaining({ worker: 0, count: 129 })]);
      expect(rt.metrics().worker(0).overflowCount, "overflowCount").toBe(1);
      expect(rt.metrics().remoteScheduleCount(), "the overflow is not a remote schedule: only the parent is").toBe(1);
      expect(rt.metrics().numAliveTasks()).toBe(0);
    } finally {
      rt.shutdown();
    }
  });

  it("a task of another runtime, woken by this runtime's worker, goes through its own runtime's inject queue", async () => {
    const a = recorder();
    const b = recorder();
    const rtA = Builder.newMultiThread().workerThreads(1).rngSeed(23).traceSink(a.sink).build();
    const rtB = Builder.newMultiThread().workerThreads(2).rngSeed(24).traceSink(b.sink).build();
    try {
      const box = new Mailbox<number>();
      const waiter = rtB.spawn(
        asyncBlock(function* () {
          return (yield* box.recv()) * 2;
        }),
      );
      await macrotasks(3);
      expect(box.length, "nothing sent yet").toBe(0);
      const from = b.events.length;
      await rtA.blockOn(
        rtA.spawn(
          asyncBlock(function* () {
            box.send(21);
          }),
        ),
      );
      expect(await rtB.blockOn(waiter), "rtB.blockOn(waiter)").toBe(42);
      const wake = b.events.slice(from).find((e) => e.kind === "wake" && e.task === waiter.id);
      expect(wake, "runtime B's trace of the wake sent from runtime A's worker").toMatchObject({
        worker: -1,
        remote: true,
        lifo: false,
      });
      expect(
        a.events.some((e) => "task" in e && e.task === waiter.id),
        "runtime A's trace mentions runtime B's task",
      ).toBe(false);
      expect(rtB.metrics().remoteScheduleCount(), "runtime B: the spawn and the wake, both from outside").toBe(2);
    } finally {
      rtA.shutdown();
      rtB.shutdown();
    }
  });

  it("scheduleLocal notifies when it pushes a task to the queue, not when the task goes into an empty LIFO slot", async () => {
    for (const lifo of [true, false]) {
      const builder = Builder.newMultiThread().workerThreads(1).rngSeed(28);
      const rt = (lifo ? builder : builder.disableLifoSlot()).build();
      try {
        const counters = inner(rt).counters;
        const deltas = await rt.blockOn(
          rt.spawn(
            asyncBlock(function* () {
              // All inside one poll: nothing else runs in between.
              const n0 = counters.notifyLocal;
              const a = spawn(yielder(0, 1));
              const n1 = counters.notifyLocal;
              const b = spawn(yielder(0, 2));
              const n2 = counters.notifyLocal;
              yield* a;
              yield* b;
              return [n1 - n0, n2 - n1];
            }),
          ),
        );
        expect(deltas, lifo ? "notifications: a spawn into the empty LIFO slot, then one that displaces it" : "notifications: two spawns to the queue (LIFO slot disabled)").toEqual(
          lifo ? [0, 1] : [1, 1],
        );
      } finally {
        rt.shutdown();
      }
    }
  });

  it("a batch from the inject queue is capped at half the local queue (128 tasks)", async () => {
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(33).build();
    try {
      await macrotasks(3);
      const seen = await injectLengthsSeen(rt, 300);
      expect(seen[0], "left in the inject queue when the first ran: 300 - min(300 / 1 + 1, 128)").toBe(172);
    } finally {
      rt.shutdown();
    }
  });

  it("maintenance comes every eventInterval ticks", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(1).eventInterval(7).rngSeed(8).traceSink(sink).build();
    try {
      await rt.blockOn(
        asyncBlock(function* () {
          const seed = spawn(
            asyncBlock(function* () {
              const js: JoinHandle<number>[] = [];
              for (let i = 0; i < 4; i++) js.push(spawn(yielder(40, i)));
              return js;
            }),
          );
          for (const j of yield* seed) yield* j;
        }),
      );
      const marks = events.flatMap((e, i) => (e.kind === "maintenance" ? [i] : []));
      expect(marks.length, "maintenance events").toBeGreaterThan(10);
      const between = marks.slice(1, 10).map((m, k) => events.slice(marks[k]! + 1, m).filter((e) => e.kind === "poll").length);
      expect(between, "polls between two maintenances of a busy worker (one per tick)").toEqual(Array(9).fill(7));
    } finally {
      rt.shutdown();
    }
  });

  it("a task a worker schedules goes to its LIFO slot; the one it displaces goes to its queue", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(1).rngSeed(3).traceSink(sink).build();
    try {
      let joined = 0;
      const [first, second] = await runOrStall(
        rt,
        asyncBlock(function* () {
          const parent = spawn(
            asyncBlock(function* () {
              return [spawn(yielder(0, 1)), spawn(yielder(0, 2))] as const;
            }),
          );
          const [a, b] = yield* parent;
          yield* a;
          joined++;
          yield* b;
          joined++;
          return [a.id, b.id] as const;
        }),
        () => `${joined} of the 2 tasks joined: the one the LIFO slot displaced was lost?`,
      );
      const wakes = events.filter((e) => e.kind === "wake" && (e.task === first || e.task === second));
      expect(wakes.map((e) => e.kind === "wake" && { remote: e.remote, lifo: e.lifo })).toEqual([
        { remote: false, lifo: true },
        { remote: false, lifo: true },
      ]);
      expect(polls(events).find((p) => p.task === second)?.source, "the last one scheduled").toBe("lifo");
      expect(polls(events).find((p) => p.task === first)?.source, "the displaced one").toBe("local");
      expect(rt.metrics().worker(0).localScheduleCount, "two local schedules").toBeGreaterThanOrEqual(2);
    } finally {
      shutdown(rt);
    }
  });

  it("a task woken during its own poll is a yield: it goes to the back of the queue, not to the LIFO slot", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(4).traceSink(sink).build();
    try {
      const id = await rt.blockOn(
        asyncBlock(function* () {
          const j = spawn(yielder(5, 0));
          yield* j;
          return j.id;
        }),
      );
      const local = events.filter((e) => e.kind === "wake" && e.task === id && !e.remote);
      expect(local.length, "five self-wakes").toBe(5);
      expect(local.every((e) => e.kind === "wake" && !e.lifo), "none into the LIFO slot").toBe(true);
    } finally {
      rt.shutdown();
    }
  });

  it("disableLifoSlot: every task a worker schedules goes to the back of its queue", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(2).disableLifoSlot().rngSeed(6).traceSink(sink).build();
    try {
      await rt.blockOn(
        asyncBlock(function* () {
          const toA = new Mailbox<number>();
          const toB = new Mailbox<number>();
          const a = spawn(
            asyncBlock(function* () {
              for (let i = 0; i < 10; i++) {
                toB.send(i);
                yield* toA.recv();
              }
            }),
          );
          const b = spawn(
            asyncBlock(function* () {
              for (let i = 0; i < 10; i++) toA.send(yield* toB.recv());
            }),
          );
          yield* a;
          yield* b;
        }),
      );
      expect(events.some((e) => e.kind === "wake" && e.lifo), "a wake into the LIFO slot").toBe(false);
      expect(polls(events).some((p) => p.source === "lifo"), "a poll from the LIFO slot").toBe(false);
      expect(inner(rt).counters.lifoSchedules, "inner(rt).counters.lifoSchedules").toBe(0);
    } finally {
      rt.shutdown();
    }
  });
});

/** N tasks that pass tokens around through mailboxes, woken from the workers and from outside (the blockOn). */
function racingWorkload(seed: number) {
  const STOP = -1;
  const random = rng(seed);
  const N = 12;
  const ROUNDS = 40;
  const HOPS = 3;
  const boxes = Array.from({ length: N }, () => new Mailbox<number>());
  const received = new Countdown(ROUNDS * (HOPS + 1));
  const future = asyncBlock(function* () {
    const joins: JoinHandle<number>[] = [];
    for (let i = 0; i < N; i++) {
      joins.push(
        spawn(
          asyncBlock(function* () {
            let n = 0;
            for (;;) {
              const token = yield* boxes[i]!.recv();
              if (token === STOP) return n;
              n++;
              received.tick();
              if (token > 0) boxes[(i * 7 + token) % N]!.send(token - 1);
            }
          }),
        ),
      );
    }
    for (let r = 0; r < ROUNDS; r++) {
      boxes[Math.floor(random() * N)]!.send(HOPS);
      if (random() < 0.5) yield* selfWake();
    }
    yield* received.done();
    for (const b of boxes) b.send(STOP);
    let total = 0;
    for (const j of joins) total += yield* j;
    return total;
  });
  const describe = () =>
    `${received.left} token receipts still expected; mailboxes hold ${boxes.map((b) => b.length).join(",")}`;
  return { future, expected: ROUNDS * (HOPS + 1), describe };
}

describe("Task 4: Stealing, searching and parking", () => {
  it("a burst spawned on one worker spreads to the others by stealing", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(11).traceSink(sink).build();
    try {
      const ids = await rt.blockOn(
        asyncBlock(function* () {
          const parent = spawn(
            asyncBlock(function* () {
              const js: JoinHandle<number>[] = [];
              for (let i = 0; i < 200; i++) js.push(spawn(yielder(2, i)));
              return js;
            }),
          );
          const js = yield* parent;
          let sum = 0;
          for (const j of js) sum += yield* j;
          expect(sum).toBe(199 * 100);
          return new Set(js.map((j) => j.id));
        }),
      );
      const workersThatRan = new Set(polls(events).filter((p) => ids.has(p.task)).map((p) => p.worker));
      const steals = events.filter((e) => e.kind === "steal");
      const stolen = [0, 1, 2, 3].reduce((n, w) => n + rt.metrics().worker(w).stealCount, 0);
      expect(workersThatRan.size, "workers that polled tasks of the burst").toBe(4);
      expect(steals.length, "steal events").toBeGreaterThan(0);
      expect(stolen, "stealCount over all workers").toBe(steals.reduce((n, e) => n + (e.kind === "steal" ? e.count : 0), 0));
      expect(
        steals.every((e) => e.kind === "steal" && e.victim !== e.worker && e.count >= 1 && e.count <= 128),
        "a steal takes 1 to 128 tasks from another worker",
      ).toBe(true);
    } finally {
      rt.shutdown();
    }
  });

  it("a task spawned from outside goes through the inject queue, and a parked worker is woken for it", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(3).rngSeed(12).traceSink(sink).build();
    try {
      await macrotasks(3);
      const parked = [0, 1, 2].map((w) => rt.metrics().worker(w).parkUnparkCount % 2);
      expect(parked, "every worker is parked (odd park/unpark count)").toEqual([1, 1, 1]);
      const from = events.length;
      const j = rt.spawn(yielder(0, "hello"));
      expect(await rt.blockOn(j), "rt.blockOn(j)").toBe("hello");
      const after = events.slice(from);
      expect(after.find((e) => e.kind === "wake")).toMatchObject({ task: j.id, remote: true, worker: -1 });
      expect(after.find((e) => e.kind === "poll" && e.task === j.id)).toMatchObject({ source: "inject" });
      expect(after.some((e) => e.kind === "unpark"), "a worker was unparked").toBe(true);
      expect(rt.metrics().remoteScheduleCount()).toBe(1);
    } finally {
      rt.shutdown();
    }
  });

  it("the last searcher to find work wakes another worker, which finds nothing and parks again", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(13).traceSink(sink).build();
    try {
      await macrotasks(3);
      const from = events.length;
      const j = rt.spawn(yielder(0, 1));
      await rt.blockOn(j);
      await macrotasks(3);
      const after = events.slice(from);
      const unparks = after.filter((e) => e.kind === "unpark");
      const poll = after.find((e) => e.kind === "poll" && e.task === j.id)!;
      expect(unparks.length, "workers unparked for one task").toBe(2);
      expect(unparks[0]!.worker, "the first one woken ran the task").toBe(poll.worker);
      expect(unparks[1]!.worker).not.toBe(poll.worker);
      expect(unparks[1]!.step, "the second was woken when the first stopped searching").toBeGreaterThanOrEqual(poll.step);
    } finally {
      rt.shutdown();
    }
  });

  it("no more than half the workers (rounded up) search at once", async () => {
    for (const workers of [4, 5]) {
      const { events, sink } = recorder();
      const rt = Builder.newMultiThread().workerThreads(workers).rngSeed(14).traceSink(sink).build();
      try {
        await rt.blockOn(
          asyncBlock(function* () {
            // Bursts spawned on one worker: the others wake up and look for work to steal.
            for (let round = 0; round < 5; round++) {
              const parent = spawn(
                asyncBlock(function* () {
                  const js: JoinHandle<number>[] = [];
                  for (let i = 0; i < 40; i++) js.push(spawn(yielder(i % 3, i)));
                  return js;
                }),
              );
              for (const j of yield* parent) yield* j;
            }
          }),
        );
        let searching = 0;
        let max = 0;
        let starts = 0;
        for (const e of events) {
          if (e.kind !== "search") continue;
          searching += e.searching ? 1 : -1;
          if (e.searching) starts++;
          max = Math.max(max, searching);
        }
        expect(starts, `${workers} workers: searches started`).toBeGreaterThan(0);
        expect(max, `${workers} workers: the most searching at once`).toBeLessThanOrEqual(Math.ceil(workers / 2));
      } finally {
        rt.shutdown();
      }
    }
  });

  it("search events trace each change of isSearching: per worker they alternate true, false, true, ...", async () => {
    for (const seed of [30, 31, 32]) {
      const { events, sink } = recorder();
      const rt = Builder.newMultiThread().workerThreads(4).rngSeed(seed).traceSink(sink).build();
      try {
        await rt.blockOn(
          asyncBlock(function* () {
            for (let round = 0; round < 3; round++) {
              const parent = spawn(
                asyncBlock(function* () {
                  const js: JoinHandle<number>[] = [];
                  for (let i = 0; i < 30; i++) js.push(spawn(yielder(i % 2, i)));
                  return js;
                }),
              );
              for (const j of yield* parent) yield* j;
            }
          }),
        );
        const state = [false, false, false, false];
        let changes = 0;
        for (const e of events) {
          if (e.kind !== "search") continue;
          expect(e.searching, `seed ${seed}: worker ${e.worker}'s search event at step ${e.step}`).toBe(!state[e.worker]);
          state[e.worker] = e.searching;
          changes++;
        }
        expect(changes, `seed ${seed}: search events`).toBeGreaterThan(0);
      } finally {
        rt.shutdown();
      }
    }
  });

  it("one worker at a time sleeps in the driver; the others sleep on their condvar", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(15).traceSink(sink).build();
    try {
      for (let round = 0; round < 5; round++) {
        await rt.blockOn(yielder(1, round));
        await macrotasks(2);
      }
      let holder = -1;
      let driverParks = 0;
      for (const e of events) {
        if (e.kind === "park" && e.driver) {
          expect(holder, `worker ${e.worker} parks in the driver at step ${e.step}`).toBe(-1);
          holder = e.worker;
          driverParks++;
        }
        if (e.kind === "unpark" && e.worker === holder) holder = -1;
      }
      expect(driverParks, "parks in the driver").toBeGreaterThan(0);
      expect(events.filter((e) => e.kind === "park" && !e.driver).length, "parks on a condvar").toBeGreaterThan(0);
    } finally {
      rt.shutdown();
    }
  });

  it("an idle runtime parks every worker and then does nothing across event-loop turns", async () => {
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(16).build();
    try {
      await rt.blockOn(yielder(3, null));
      await macrotasks(3);
      const snapshot = () => ({
        steps: steps(rt),
        polls: [0, 1, 2, 3].map((w) => rt.metrics().worker(w).pollCount),
        parks: [0, 1, 2, 3].map((w) => rt.metrics().worker(w).parkCount),
        parked: [0, 1, 2, 3].map((w) => rt.metrics().worker(w).parkUnparkCount % 2),
      });
      const before = snapshot();
      expect(before.parked, "every worker is parked").toEqual([1, 1, 1, 1]);
      await macrotasks(20);
      expect(snapshot(), "20 macrotask turns later").toEqual(before);
    } finally {
      rt.shutdown();
    }
  });

  it("no lost wake-up: a racing workload finishes under 1,000 seeds", async () => {
    for (const seed of seeds(1000, 0x0909)) {
      await withSeed(seed, async () => {
        const rt = Builder.newMultiThread().workerThreads(4).rngSeed(seed).build();
        try {
          const work = racingWorkload(seed);
          const total = await runOrStall(rt, work.future, work.describe);
          expect(total, "token receipts").toBe(work.expected);
        } finally {
          shutdown(rt);
        }
      });
    }
  }, 30_000);

  it("tasks woken from outside the runtime (a Node callback) run, and the runtime sleeps in between", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(17).build();
    try {
      const box = new Mailbox<number>();
      const j = rt.spawn(
        asyncBlock(function* () {
          let sum = 0;
          for (let i = 0; i < 5; i++) sum += yield* box.recv();
          return sum;
        }),
      );
      for (let i = 1; i <= 5; i++) {
        await macrotasks(2);
        const before = steps(rt);
        await macrotasks(2);
        expect(steps(rt), "idle while waiting").toBe(before);
        setImmediate(() => box.send(i));
      }
      expect(await rt.blockOn(j), "rt.blockOn(j)").toBe(15);
      expect(rt.metrics().remoteScheduleCount(), "1 spawn and 5 wakes from outside").toBe(6);
    } finally {
      rt.shutdown();
    }
  });

  it("timers fire while another worker stays busy: the driver is turned by a worker, there is no timer thread", async () => {
    const rt = Builder.newMultiThread().workerThreads(3).rngSeed(19).enableTime().build();
    try {
      const out = await rt.blockOn(
        asyncBlock(function* () {
          let stop = false;
          const busy = spawn(
            asyncBlock(function* () {
              let spins = 0;
              while (!stop) {
                spins++;
                yield* yieldNow();
              }
              return spins;
            }),
          );
          const sleeper = spawn(
            asyncBlock(function* () {
              yield* sleep(20);
              stop = true;
              return "slept";
            }),
          );
          return [yield* sleeper, (yield* busy) > 0] as const;
        }),
      );
      expect(out, "the sleep completed while the busy task spun").toEqual(["slept", true]);
    } finally {
      rt.shutdown();
    }
  });

  it("on a paused clock, sleeps complete when every worker is idle (auto-advance through the driver's wait)", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(3).rngSeed(20).enableTime().startPaused().traceSink(sink).build();
    try {
      const total = await rt.blockOn(
        asyncBlock(function* () {
          const js = [1_000, 60_000, 3_600_000].map((ms) =>
            spawn(
              asyncBlock(function* () {
                yield* sleep(ms);
                return ms;
              }),
            ),
          );
          let sum = 0;
          for (const j of js) sum += yield* j;
          return sum;
        }),
      );
      expect(total).toBe(3_661_000);
      expect(events.filter((e) => e.kind === "idle").length, "the runtime went idle between the timers").toBeGreaterThanOrEqual(3);
    } finally {
      rt.shutdown();
    }
  });

  it("a worker resumed by its driver with nothing to do parks again, without searching", async () => {
    for (const workers of [1, 3]) {
      const { events, sink } = recorder();
      const rt = Builder.newMultiThread().workerThreads(workers).rngSeed(25).enableTime().startPaused().traceSink(sink).build();
      try {
        // Only the blockOn's future waits on the timers: no task exists, so a resumed driver holder has no work.
        const out = await rt.blockOn(
          asyncBlock(function* () {
            yield* sleep(1_000);
            yield* sleep(5_000);
            return "woke twice";
          }),
        );
        expect(out).toBe("woke twice");
        const firstIdle = events.findIndex((e) => e.kind === "idle");
        expect(firstIdle, `${workers} worker(s): the runtime went idle`).toBeGreaterThanOrEqual(0);
        expect(
          events.filter((e) => e.kind === "idle").every((e) => e.worker === -1),
          "idle events come from the interleaver, outside the workers (worker -1)",
        ).toBe(true);
        const after = events.slice(firstIdle);
        const unparks = after.filter((e) => e.kind === "unpark");
        expect(unparks.length, `${workers} worker(s): the driver holder was resumed for the timers`).toBeGreaterThanOrEqual(2);
        expect(
          after.filter((e) => e.kind === "search" || e.kind === "poll"),
          `${workers} worker(s): search or poll events once every worker was idle`,
        ).toEqual([]);
        after.forEach((u, i) => {
          if (u.kind !== "unpark") return;
          const next = after.slice(i + 1).find((e) => e.worker === u.worker);
          expect(next, `${workers} worker(s): what worker ${u.worker} did after its unpark at step ${u.step}`).toMatchObject({
            kind: "park",
            driver: true,
          });
        });
      } finally {
        rt.shutdown();
      }
    }
  });

  it("a timer fired by a worker's own driver turn wakes its task into that worker's LIFO slot, and it runs without searching", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(26).enableTime().startPaused().traceSink(sink).build();
    try {
      const j = rt.spawn(
        asyncBlock(function* () {
          yield* sleep(1_000);
          return "rang";
        }),
      );
      expect(await rt.blockOn(j), "rt.blockOn(j)").toBe("rang");
      const lastPoll = events.findLastIndex((e) => e.kind === "poll" && e.task === j.id);
      const poll = events[lastPoll]!;
      expect(poll, "the poll after the timer fired").toMatchObject({ source: "lifo" });
      const unpark = events.findLastIndex((e, i) => i < lastPoll && e.kind === "unpark" && e.worker === poll.worker);
      expect(unpark, `worker ${poll.worker} was unparked before that poll`).toBeGreaterThanOrEqual(0);
      const between = events.slice(unpark + 1, lastPoll).filter((e) => e.worker === poll.worker);
      expect(between, "what the worker did between its unpark and the poll").toEqual([
        expect.objectContaining({ kind: "wake", task: j.id, remote: false, lifo: true }),
      ]);
      expect(inner(rt).counters.lifoSchedules, "that poll starts a turn of the loop: it is not a LIFO chain").toBe(0);
      const pollCount = [0, 1].reduce((n, w) => n + rt.metrics().worker(w).pollCount, 0);
      expect(pollCount, "pollCount: the first poll and the one after the timer").toBe(2);
    } finally {
      rt.shutdown();
    }
  });

  it("the poll of a stolen task says so: after each steal, the thief's next poll has source steal", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(27).traceSink(sink).build();
    try {
      await rt.blockOn(
        asyncBlock(function* () {
          const parent = spawn(
            asyncBlock(function* () {
              const js: JoinHandle<number>[] = [];
              for (let i = 0; i < 100; i++) js.push(spawn(yielder(1, i)));
              return js;
            }),
          );
          for (const j of yield* parent) yield* j;
        }),
      );
      let checked = 0;
      events.forEach((e, i) => {
        if (e.kind !== "steal") return;
        const next = events.slice(i + 1).find((x) => x.kind === "poll" && x.worker === e.worker);
        expect(next, `the poll after worker ${e.worker}'s steal at step ${e.step}`).toMatchObject({ source: "steal", step: e.step });
        checked++;
      });
      expect(checked, "steals").toBeGreaterThan(0);
    } finally {
      rt.shutdown();
    }
  });

  it("notifyParkedLocal and notifyParkedRemote wake a sleeper only while nobody searches, and count it", async () => {
    const rt = Builder.newMultiThread().workerThreads(3).rngSeed(29).build();
    try {
      await macrotasks(3);
      const h = inner(rt);
      expect(h.idle.numUnparked, "every worker is parked").toBe(0);
      const before = { ...h.counters };
      expect(h.notifyParkedLocal(), "a sleeper and nobody searching: one is woken").toBe(true);
      expect(h.notifyParkedLocal(), "the woken worker counts as searching: nobody else is woken").toBe(false);
      expect(
        { notifyLocal: h.counters.notifyLocal - before.notifyLocal, unparksLocal: h.counters.unparksLocal - before.unparksLocal },
        "counters after two notifyParkedLocal calls",
      ).toEqual({ notifyLocal: 2, unparksLocal: 1 });
      await macrotasks(3);
      expect(h.idle.numUnparked, "the woken worker found nothing and parked again").toBe(0);
      const remote = h.counters.unparksRemote;
      h.notifyParkedRemote();
      h.notifyParkedRemote();
      expect(h.counters.unparksRemote - remote, "unparksRemote after two notifyParkedRemote calls").toBe(1);
      expect(h.counters.notifyLocal - before.notifyLocal, "notifyParkedRemote does not count notifyLocal").toBe(2);
      await macrotasks(3);
    } finally {
      rt.shutdown();
    }
  });

  it("a task that panics on a worker fails its JoinHandle and the workers carry on", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(18).build();
    try {
      const out = await rt.blockOn(
        asyncBlock(function* () {
          const bad = spawn(
            asyncBlock(function* () {
              yield* selfWake();
              throw new Error("boom");
            }),
          );
          const good = spawn(yielder(2, 7));
          let error: unknown;
          try {
            yield* bad;
          } catch (e) {
            error = e;
          }
          return { error, good: yield* good };
        }),
      );
      expect(out.error).toBeInstanceOf(JoinError);
      expect((out.error as JoinError).isPanic()).toBe(true);
      expect(out.good, "out.good").toBe(7);
    } finally {
      rt.shutdown();
    }
  });
});
