/**
 * Task 4: JoinSet.
 */
import { describe, expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { JoinError } from "#kata/06-task";
import { Builder, NO_RUNTIME } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { yieldNow } from "#kata/14-blocking";
import { JoinSet } from "#kata/17-broadcast-watch";
import { onRuntime } from "../_support/16-channels.ts";

describe("Task 4: JoinSet", () => {
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

  it("spawn outside a runtime throws Tokio's message", () => {
    const set = new JoinSet<number>();
    expect(() => set.spawn(asyncBlock(function* () {
      return 1;
    }))).toThrow(NO_RUNTIME);
    expect(set.isEmpty(), "set.isEmpty()").toBe(true);
  });
});
