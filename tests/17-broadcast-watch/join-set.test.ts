/**
 * Task 4: JoinSet.
 */
import { describe, expect, it } from "vitest";
import { Pending, type Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { JoinError } from "#kata/06-task";
import { Builder, NO_RUNTIME } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { budget, yieldNow } from "#kata/14-blocking";
import { IdleNotifiedSet, JoinSet } from "#kata/17-broadcast-watch";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { onRuntime } from "../_support/16-channels.ts";

describe("Task 4: JoinSet", () => {
  it("IdleNotifiedSet: an entry's waker moves an idle entry to notified and wakes the set's waker once; entries come out in wake order", () => {
    const set = new IdleNotifiedSet<string>();
    const p = probe();
    expect(set.popNotified(p.waker), "an empty set").toBeNull();
    expect(p.stats.refs, "an empty set stores no waker").toBe(1);
    const a = set.insertIdle("a");
    const b = set.insertIdle("b");
    const c = set.insertIdle("c");
    expect(set.len(), "set.len()").toBe(3);
    expect(set.popNotified(p.waker), "nothing notified yet").toBeNull();
    expect(set.popNotified(p.waker), "registered again by the same task").toBeNull();
    expect(p.stats.refs, "one clone of the set's waker, kept while it would wake the same task").toBe(2);
    b.cx.waker.wakeByRef();
    expect(p.stats.wakes, "b woke the set's waker").toBe(1);
    b.cx.waker.wakeByRef();
    a.cx.waker.wakeByRef();
    expect(p.stats.wakes, "b again: already notified; a: the set's waker was taken by the first wake").toBe(1);
    expect(set.tryPopNotified(), "the first woken").toBe(b);
    expect(set.popNotified(p.waker), "then the next, once each").toBe(a);
    expect(set.popNotified(p.waker), "none left notified (and the set's waker is registered again)").toBeNull();
    c.cx.waker.wakeByRef();
    expect(p.stats.wakes, "c woke the set's waker").toBe(2);
    expect(set.remove(c), "c is removed while notified").toBe("c");
    expect(set.tryPopNotified(), "so it is no longer there to pop").toBeNull();
    c.cx.waker.wakeByRef();
    expect([set.len(), p.stats.wakes], "a removed entry's waker does nothing").toEqual([2, 2]);
    expect(set.popNotified(p.waker), "registered again").toBeNull();
    a.cx.waker.wakeByRef();
    expect(p.stats.wakes, "a is idle again: its waker notifies it and wakes the set").toBe(3);
    expect(set.remove(set.insertIdle("d")), "d is removed while idle").toBe("d");
    const seen: string[] = [];
    set.forEach((v) => seen.push(v));
    expect(seen.sort(), "forEach: every value, idle or notified, and no removed one").toEqual(["a", "b"]);
    const drained: string[] = [];
    set.drain((v) => drained.push(v));
    expect([drained.sort(), set.len(), set.isEmpty()]).toEqual([["a", "b"], 0, true]);
    expect(set.tryPopNotified(), "drained: nothing notified is left either").toBeNull();
  });

  it("joinNext gives the outputs in completion order, then undefined once the set is empty", async () => {
    const out = await onRuntime(
      function* () {
        const set = new JoinSet<string>();
        for (const [name, ms] of [["slow", 30], ["fast", 10], ["middle", 20]] as const) {
          set.spawn(
            asyncBlock(function* () {
              yield* sleep(ms);
              return name;
            }),
          );
        }
        const out: (string | number | undefined)[] = [set.len()];
        while (!set.isEmpty()) out.push(yield* set.joinNext());
        out.push(yield* set.joinNext(), set.len());
        return out;
      },
      { time: true },
    );
    expect(out).toEqual([3, "fast", "middle", "slow", undefined, 0]);
  });

  it("tasks that finished before the first joinNext still come out in the order they finished", async () => {
    const out = await onRuntime(function* () {
      const set = new JoinSet<number>();
      set.spawn(
        asyncBlock(function* () {
          yield* yieldNow();
          yield* yieldNow();
          return 1;
        }),
      );
      set.spawn(asyncBlock(function* () {
        return 2;
      }));
      for (let i = 0; i < 5; i++) yield* yieldNow();
      const out: (number | undefined)[] = [];
      while (!set.isEmpty()) out.push(yield* set.joinNext());
      return out;
    });
    expect(out).toEqual([2, 1]);
  });

  it("an empty set's joinNext ends at once with undefined", async () => {
    expect(await onRuntime(function* () {
      return yield* new JoinSet<number>().joinNext();
    })).toBeUndefined();
  });

  it("a task that throws comes out as a JoinError panic; an aborted one as cancelled", async () => {
    const kinds = await onRuntime(
      function* () {
        const set = new JoinSet<string>();
        set.spawn(
          asyncBlock(function* () {
            yield* sleep(5);
            throw new Error("boom");
          }),
        );
        const handle = set.spawn(
          asyncBlock(function* () {
            yield* sleep(1000);
            return "never";
          }),
        );
        handle.abort();
        const kinds: string[] = [];
        for (const left of [1, 0]) {
          try {
            kinds.push(`ok ${yield* set.joinNext()}`);
          } catch (e) {
            if (!(e instanceof JoinError)) throw e;
            kinds.push(e.kind);
          }
          expect(set.len(), `tasks left in the set after joinNext gave ${kinds.at(-1)} (a task that ended, even with an error, leaves it)`).toBe(left);
        }
        return kinds;
      },
      { time: true },
    );
    expect(kinds).toEqual(["cancelled", "panic"]);
  });

  it("dropping the set aborts every task in it", async () => {
    const log = await onRuntime(
      function* () {
        const log: string[] = [];
        {
          using set = new JoinSet<void>();
          for (const i of [1, 2]) {
            set.spawn(
              asyncBlock(function* () {
                try {
                  yield* sleep(100);
                  log.push(`${i} finished`);
                } finally {
                  log.push(`${i} dropped`);
                }
              }),
            );
          }
          yield* sleep(10);
        }
        yield* sleep(200);
        return log;
      },
      { time: true },
    );
    expect([...log].sort(), "[...log].sort()").toEqual(["1 dropped", "2 dropped"]);
  });

  it("shutdown aborts every task and waits for all of them; detachAll lets them run on", async () => {
    const log = await onRuntime(
      function* () {
        const log: string[] = [];
        const set = new JoinSet<void>();
        set.spawn(
          asyncBlock(function* () {
            yield* sleep(100);
            log.push("not reached");
          }),
        );
        yield* set.shutdown();
        log.push(`after shutdown: ${set.len()}`);
        set.spawn(
          asyncBlock(function* () {
            yield* sleep(10);
            log.push("detached task finished");
          }),
        );
        set.detachAll();
        log.push(`after detach: ${set.len()}`);
        yield* sleep(20);
        return log;
      },
      { time: true },
    );
    expect(log).toEqual(["after shutdown: 0", "after detach: 0", "detached task finished"]);
  });

  it("spawn returns the task's AbortHandle; joinNextWithId pairs each output with its task id", async () => {
    const { ids, results } = await onRuntime(
      function* () {
        const set = new JoinSet<string>();
        const a = set.spawn(
          asyncBlock(function* () {
            yield* sleep(2);
            return "a";
          }),
        );
        const b = set.spawn(
          asyncBlock(function* () {
            yield* sleep(1);
            return "b";
          }),
        );
        const results: ([number, string] | undefined)[] = [];
        while (!set.isEmpty()) results.push(yield* set.joinNextWithId());
        return { ids: { a: a.id, b: b.id }, results };
      },
      { time: true },
    );
    expect(results).toEqual([
      [ids.b, "b"],
      [ids.a, "a"],
    ]);
  });

  it("tryJoinNext takes a finished task without waiting, and undefined when none is ready", async () => {
    const out = await onRuntime(function* () {
      const set = new JoinSet<number>();
      set.spawn(
        asyncBlock(function* () {
          yield* yieldNow();
          return 7;
        }),
      );
      const out: (number | undefined)[] = [set.tryJoinNext()];
      for (let i = 0; i < 3; i++) yield* yieldNow();
      out.push(set.tryJoinNext(), set.len());
      return out;
    });
    expect(out).toEqual([undefined, 7, 0]);
  });

  it("with the budget spent, joinNext and joinNextWithId keep a finished task in the set and ask to be polled again", async () => {
    using rt = Builder.newCurrentThread().build();
    const set = new JoinSet<number>();
    const [, eight] = [7, 8].map((n) => set.spawnOn(asyncBlock(function* () {
      return n;
    }), rt.handle()));
    await rt.blockOn(asyncBlock(function* () {
      for (let i = 0; i < 3; i++) yield* yieldNow();
    }));
    const p = probe();
    for (const next of [set.joinNext(), set.joinNextWithId()] as Future<unknown>[]) {
      const before = p.stats.wakes;
      budget(() => {
        spendBudget();
        expect(p.poll(next), "no budget: the finished task's handle is Pending").toBe(Pending);
      });
      expect(set.len(), "the task stays in the set").toBe(2);
      expect(
        p.stats.wakes - before,
        "woken twice: by the handle out of budget (through the entry's waker) and by the join itself, to try again",
      ).toBe(2);
    }
    const before = p.stats.wakes;
    expect(p.poll(set.joinNext()), "with budget again").toBe(7);
    expect(p.poll(set.joinNextWithId()), "with budget again, with its id").toEqual([eight!.id, 8]);
    expect(p.stats.wakes, "a join that completes wakes nobody").toBe(before);
    expect(set.isEmpty(), "set.isEmpty()").toBe(true);
  });

  it("spawnOn puts a task of the given runtime's into the set, even from outside it", async () => {
    using rt = Builder.newCurrentThread().build();
    const set = new JoinSet<number>();
    set.spawnOn(asyncBlock(function* () {
      return 7;
    }), rt.handle());
    expect(set.len(), "set.len()").toBe(1);
    expect(await rt.blockOn(set.joinNext())).toBe(7);
    expect(set.isEmpty(), "set.isEmpty()").toBe(true);
  });

  it("a task spawned onto a runtime that has shut down is finished at once: its entry is woken, and joinNext reports it cancelled", async () => {
    const closed = Builder.newCurrentThread().build();
    const handle = closed.handle();
    closed.shutdown();
    const set = new JoinSet<number>();
    set.spawnOn(asyncBlock(function* () {
      return 7;
    }), handle);
    expect(set.len(), "the finished task is in the set until it is joined").toBe(1);
    using rt = Builder.newCurrentThread().build();
    const err = await rt.blockOn(asyncBlock(function* () {
      try {
        return yield* set.joinNext();
      } catch (e) {
        return e;
      }
    }));
    expect(err, "joinNext of a task refused by a closed runtime").toBeInstanceOf(JoinError);
    expect((err as JoinError).isCancelled(), "isCancelled()").toBe(true);
    expect(set.isEmpty(), "set.isEmpty()").toBe(true);
  });

  it("spawn outside a runtime throws Tokio's message", () => {
    const set = new JoinSet<number>();
    expect(() => set.spawn(asyncBlock(function* () {
      return 1;
    }))).toThrow(NO_RUNTIME);
    expect(set.isEmpty(), "set.isEmpty()").toBe(true);
  });
});
