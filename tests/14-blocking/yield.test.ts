/**
 * Task 2: yieldNow, consumeBudget and unconstrained.
 */
import { describe, expect, it } from "vitest";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import { spawn } from "#kata/07-current-thread";
import { budget, budgetRemaining, consumeBudget, pollProceed, unconstrained, yieldNow } from "#kata/14-blocking";
import { probe } from "../_support/poll.ts";
import { recordingRuntime } from "../_support/07-current-thread.ts";

class AlwaysReady extends FutureBase<number> {
  spends = 0;
  poll(cx: Context): Poll<number> {
    if (pollProceed(cx) === Pending) return Pending;
    return ++this.spends;
  }
}

describe("Task 2: yieldNow, consumeBudget and unconstrained", () => {
  it("yieldNow is Pending once, then ready; outside a runtime its wake is immediate", () => {
    const p = probe();
    const y = yieldNow();
    expect(p.poll(y), "p.poll(y)").toBe(Pending);
    expect(p.stats.wakes, "no scheduler: woken at once").toBe(1);
    expect(p.poll(y), "p.poll(y)").toBe(undefined);
  });

  it("yieldNow spends no budget, and yields even with budget left", () => {
    const p = probe();
    budget(() => {
      expect(p.poll(yieldNow())).toBe(Pending);
      expect(budgetRemaining(), "budgetRemaining()").toBe(128);
    });
  });

  it("in a runtime, a yielding task runs again after the other ready tasks and the driver's turn", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    await rt.blockOn(
      asyncBlock(function* () {
        const a = spawn(
          asyncBlock(function* () {
            for (let i = 0; i < 3; i++) {
              log.push(`a${i}`);
              yield* yieldNow();
            }
          }),
        );
        const b = spawn(
          asyncBlock(function* () {
            log.push("b");
          }),
        );
        yield* a;
        yield* b;
      }),
    );
    expect(log.slice(0, 7), "log.slice(0, 7)").toEqual(["a0", "b", "turn", "a1", "turn", "a2", "turn"]);
  });

  it("consumeBudget spends one unit per call and yields when none is left", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    let checkpoints = 0;
    await rt.blockOn(
      asyncBlock(function* () {
        yield* spawn(
          asyncBlock(function* () {
            for (let i = 0; i < 300; i++) {
              yield* consumeBudget();
              checkpoints++;
            }
          }),
        );
      }),
    );
    expect(checkpoints).toBe(300);
    expect(rt.metrics().worker(0).pollCount, "300 = 2 x 128 + 44: three polls").toBe(3);
    expect(rt.metrics().budgetForcedYieldCount()).toBe(2);
  });

  it("consumeBudget outside a budget never yields", () => {
    const p = probe();
    for (let i = 0; i < 500; i++) expect(p.poll(consumeBudget())).toBe(undefined);
  });

  it("unconstrained(inner) polls inner with no budget: 1000 ready reads in a single poll", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    const r = new AlwaysReady();
    await rt.blockOn(
      asyncBlock(function* () {
        yield* spawn(
          unconstrained(
            asyncBlock(function* () {
              for (let i = 0; i < 1000; i++) yield* r;
            }),
          ),
        );
      }),
    );
    expect(r.spends, "r.spends").toBe(1000);
    expect(rt.metrics().worker(0).pollCount).toBe(1);
    expect(rt.metrics().budgetForcedYieldCount()).toBe(0);
  });

  it("the budget around an unconstrained future is left as it was", () => {
    const p = probe();
    const r = new AlwaysReady();
    budget(() => {
      pollProceed(p.cx);
      p.poll(unconstrained(r));
      p.poll(unconstrained(r));
      expect(r.spends, "r.spends").toBe(2);
      expect(budgetRemaining(), "only the outer spend counts").toBe(127);
    });
  });

  it("dropping an unconstrained future drops the future inside", () => {
    let disposed = 0;
    const inner = new (class extends FutureBase<never> {
      poll(): Poll<never> {
        return Pending;
      }
      [Symbol.dispose](): void {
        disposed++;
      }
    })();
    const u = unconstrained(inner);
    expect(probe().poll(u)).toBe(Pending);
    u[Symbol.dispose]!();
    expect(disposed).toBe(1);
  });
  it("unconstrained over a future without [Symbol.dispose] (it is optional) can be dropped", () => {
    class Bare extends FutureBase<number> {
      poll(): Poll<number> {
        return Pending;
      }
    }
    const f = unconstrained(new Bare());
    expect(probe().poll(f)).toBe(Pending);
    expect(() => f[Symbol.dispose]!()).not.toThrow();
  });
});
