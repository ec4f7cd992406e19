/**
 * Hidden suite of chapter 18, tasks 1 and 2: `select` (branches, preconditions, patterns, else, disposal, errors,
 * limits), its random start from the runtime's seeded generator, `biased`, and the cooperative budget.
 */
import { describe, expect, it } from "vitest";
import { Pending, ready, type Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { budget, budgetRemaining } from "#kata/14-blocking";
import { Elapsed, now, sleep, timeout } from "#kata/13-time";
import { mpsc } from "#kata/16-channels";
import { Notify } from "#kata/17-broadcast-watch";
import { FastRand, RngSeed, RngSeedGenerator } from "#kata/09-work-stealing";
import {
  ALL_DISABLED_ERROR,
  MAX_BRANCHES,
  NO_BRANCHES_ERROR,
  TOO_MANY_BRANCHES_ERROR,
  branch,
  select,
  threadRngFor,
} from "#kata/18-select-cancel";
import { Scripted } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { paused } from "../_support/13-time.ts";
import { Gate, onSeeded, seededRuntime } from "../_support/18-select-cancel.ts";
import { seeds, withSeed } from "../_support/seed.ts";

const never = <T>() => new Scripted<T>(() => Pending);
const now_ = <T>(v: T) => new Scripted<T>(() => v);

describe("Task 1: Select: branches, patterns and else", () => {
  it("the first branch found ready wins, and its handler makes the output", () => {
    const a = never<string>();
    const b = now_("b");
    const c = now_("c");
    const s = select([branch(a, (v) => `a:${v}`), branch(b, (v) => `b:${v}`), branch(c, (v) => `c:${v}`)], { biased: true });
    expect(probe().poll(s)).toBe("b:b");
    expect([a.polls, b.polls, c.polls], "biased: a, then b, which wins; c is never polled").toEqual([1, 1, 0]);
  });

  it("the losers are disposed once, before the winner's handler runs; the winner is not disposed", () => {
    const a = never<number>();
    const b = now_(2);
    const c = never<number>();
    let seenByHandler: number[] = [];
    const s = select(
      [
        branch(a, () => "a"),
        branch(b, () => {
          seenByHandler = [a.disposed, b.disposed, c.disposed];
          return "b";
        }),
        branch(c, () => "c"),
      ],
      { biased: true },
    );
    expect(probe().poll(s)).toBe("b");
    expect(seenByHandler, "disposed counts of a, b, c when b's handler ran").toEqual([1, 0, 1]);
    expect([a.disposed, b.disposed, c.disposed]).toEqual([1, 0, 1]);
    s[Symbol.dispose]();
    expect([a.disposed, b.disposed, c.disposed], "disposing a finished select disposes nothing more").toEqual([1, 0, 1]);
  });

  it("a branch whose precondition is false is never polled, and is disposed when the select ends", () => {
    const off = now_("off");
    const gate = new Gate<string>();
    const p = probe();
    const s = select([branch(off, (v) => v, { if: false }), branch(gate, (v) => v)], { biased: true });
    expect(p.poll(s), "p.poll(s)").toBe(Pending);
    expect(p.poll(s), "p.poll(s)").toBe(Pending);
    gate.open("on");
    expect(p.stats.wakes, "the gate woke the select's waker").toBe(1);
    expect(p.poll(s), "p.poll(s)").toBe("on");
    expect(off.polls, "the disabled branch was never polled").toBe(0);
    expect(off.disposed, "and was disposed when the select ended").toBe(1);
  });

  it("an output that does not match the pattern disables its branch, and the select goes on", () => {
    const empty = now_<string | undefined>(undefined);
    const gate = new Gate<string>();
    let handled: string[] = [];
    const p = probe();
    const s = select(
      [
        branch(empty, (v) => `recv ${v}`, { match: (v) => v !== undefined }),
        branch(gate, (v) => {
          handled = [v];
          return `gate ${v}`;
        }),
      ],
      { biased: true },
    );
    expect(p.poll(s), "the only ready output did not match: nothing won yet").toBe(Pending);
    expect(p.poll(s), "p.poll(s)").toBe(Pending);
    gate.open("g");
    expect(p.poll(s), "p.poll(s)").toBe("gate g");
    expect(handled).toEqual(["g"]);
    expect(empty.polls, "a branch that completed without matching is not polled again").toBe(1);
    expect(empty.disposed, "a completed future is not disposed").toBe(0);
  });

  it("a select polled again polls only the branches still pending", () => {
    const g = [new Gate<number>("g0"), new Gate<number>("g1"), new Gate<number>("g2")];
    const p = probe();
    const s = select(
      g.map((gate, i) => branch(gate, (v) => `${i}:${v}`, { match: (v) => v > 0 })),
      { biased: true },
    );
    for (let i = 0; i < 3; i++) expect(p.poll(s), "p.poll(s)").toBe(Pending);
    expect(g.map((x) => x.polls)).toEqual([3, 3, 3]);
    g[0]!.open(0);
    expect(p.poll(s), "p.poll(s)").toBe(Pending);
    expect(p.poll(s), "p.poll(s)").toBe(Pending);
    expect(g.map((x) => x.polls), "g0 completed without matching at poll 4 and was left alone after").toEqual([4, 5, 5]);
    g[2]!.open(7);
    expect(p.poll(s), "p.poll(s)").toBe("2:7");
    expect(g.map((x) => x.disposed), "only g1 was still unfinished").toEqual([0, 1, 0]);
  });

  it("when every branch is disabled, the else handler gives the output", () => {
    const a = now_(1);
    const b = now_(2);
    const offs = select([branch(a, () => "a", { if: false }), branch(b, () => "b", { if: false })], { else: () => "else" });
    expect(probe().poll(offs), "all preconditions false").toBe("else");
    expect([a.polls, b.polls, a.disposed, b.disposed]).toEqual([0, 0, 1, 1]);

    const c = now_<number | undefined>(undefined);
    const d = now_<number | undefined>(undefined);
    const mismatches = select(
      [branch(c, () => "c", { match: (v) => v !== undefined }), branch(d, () => "d", { match: (v) => v !== undefined })],
      { biased: true, else: () => "closed" },
    );
    expect(probe().poll(mismatches), "every output failed its pattern").toBe("closed");
  });

  it("every branch disabled and no else: Tokio's error, and the select is over", () => {
    const a = now_<number | undefined>(undefined);
    const s = select([branch(a, () => "a", { match: (v) => v !== undefined })]);
    const p = probe();
    expect(() => p.poll(s)).toThrow(ALL_DISABLED_ERROR);
    expect(ALL_DISABLED_ERROR).toBe("all branches are disabled and there is no else branch");
    expect(() => p.poll(s), "a finished select must not be polled again").toThrow(/after completion/);
  });

  it("a branch that throws ends the select: every unfinished future is disposed and the error propagates", () => {
    const a = new Gate<number>();
    const boom = new Scripted<number>(() => {
      throw new Error("boom");
    });
    const c = never<number>();
    const s = select([branch(a, () => "a"), branch(boom, () => "boom"), branch(c, () => "c")], { biased: true });
    const p = probe();
    expect(() => p.poll(s)).toThrow("boom");
    expect([a.disposed, boom.disposed, c.disposed], "the pending, the thrower and the unpolled").toEqual([1, 1, 1]);
    expect(c.polls, "c.polls").toBe(0);
    expect(() => p.poll(s)).toThrow(/after completion/);
  });

  it("disposing a pending select disposes every unfinished branch once, and no finished one", () => {
    const finished = now_<number | undefined>(undefined);
    const pending = new Gate<number>();
    const off = never<number>();
    const s = select(
      [branch(finished, () => 1, { match: (v) => v !== undefined }), branch(pending, () => 2), branch(off, () => 3, { if: false })],
      { biased: true },
    );
    expect(probe().poll(s)).toBe(Pending);
    s[Symbol.dispose]();
    s[Symbol.dispose]();
    expect([finished.disposed, pending.disposed, off.disposed]).toEqual([0, 1, 1]);
  });

  it("at most 64 branches; no branch at all needs an else, which then is the output", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => branch(never<number>(), () => i));
    expect(MAX_BRANCHES).toBe(64);
    expect(() => select(many(65))).toThrow(TOO_MANY_BRANCHES_ERROR);
    const s = select(many(64), { biased: true });
    expect(probe().poll(s)).toBe(Pending);
    s[Symbol.dispose]();
    expect(() => select([])).toThrow(NO_BRANCHES_ERROR);
    expect(probe().poll(select([], { else: () => "only else" }))).toBe("only else");
  });

  it("seed 11.5 on a runtime: a loop over a channel, an idle timeout and a stop signal", async () => {
    const log = await paused(function* () {
      const [tx, rx] = mpsc.channel<string>(8);
      const stop = new Notify();
      spawn(
        asyncBlock(function* () {
          yield* sleep(10);
          yield* tx.send("m1");
          yield* sleep(10);
          yield* tx.send("m2");
          yield* sleep(25);
          stop.notifyOne();
          yield* sleep(100);
          tx[Symbol.dispose]();
        }),
      );
      const out: string[] = [];
      for (;;) {
        const event = yield* select<string>(
          [
            branch(rx.recv(), (m) => `msg ${m} at ${now()}`, { match: (m) => m !== undefined }),
            branch(sleep(15), () => `idle at ${now()}`),
            branch(stop.notified(), () => `stop at ${now()}`),
          ],
          { else: () => "closed" },
        );
        out.push(event);
        if (event.startsWith("stop")) return out;
      }
    });
    expect(log).toEqual(["msg m1 at 10", "msg m2 at 20", "idle at 35", "stop at 45"]);
  });

  it("a biased select of the work and a sleep behaves as chapter 13's timeout", async () => {
    const work = (ms: number) =>
      asyncBlock(function* () {
        yield* sleep(ms);
        return `work ${ms}`;
      });
    const viaSelect = (ms: number, f: Future<string>) =>
      select<string>([branch(f, (v) => v), branch(sleep(ms), () => "elapsed")], { biased: true });
    const out = await paused(function* () {
      const rows: string[] = [];
      for (const [limit, takes] of [[100, 30], [100, 200], [50, 50]] as const) {
        const start = now();
        const a = yield* viaSelect(limit, work(takes));
        const selectAt = now() - start;
        const start2 = now();
        let b: string;
        try {
          b = yield* timeout(limit, work(takes));
        } catch (e) {
          b = e instanceof Elapsed ? "elapsed" : String(e);
        }
        rows.push(`${limit}/${takes}: select ${a} after ${selectAt}, timeout ${b} after ${now() - start2}`);
      }
      return rows;
    });
    expect(out).toEqual([
      "100/30: select work 30 after 30, timeout work 30 after 30",
      "100/200: select elapsed after 100, timeout elapsed after 100",
      "50/50: select work 50 after 50, timeout work 50 after 50",
    ]);
  });
});

/** Polls a select of `n` pending branches `polls` times inside the runtime; the order of each poll. */
function pollOrders(seed: number, n: number, polls: number, biasedFirst = 0): { orders: number[][]; starts: number[] } {
  const rt = seededRuntime(seed);
  try {
    using _enter = rt.enter();
    let current: number[] = [];
    const p = probe();
    for (let i = 0; i < biasedFirst; i++) {
      const b = select([branch(never<number>(), () => 0), branch(never<number>(), () => 1)], { biased: true });
      p.poll(b);
      b[Symbol.dispose]();
    }
    const branches = Array.from({ length: n }, (_, i) =>
      branch(
        new Scripted<number>(() => {
          current.push(i);
          return Pending;
        }),
        () => i,
      ),
    );
    const s = select(branches);
    const orders: number[][] = [];
    for (let k = 0; k < polls; k++) {
      current = [];
      expect(p.poll(s), "p.poll(s)").toBe(Pending);
      orders.push(current);
    }
    s[Symbol.dispose]();
    return { orders, starts: orders.map((o) => o[0]!) };
  } finally {
    rt.shutdown();
  }
}

describe("Task 2: The random start and the budget", () => {
  it("threadRngFor follows Tokio's chain: the builder's second generator seeds the thread's FastRand", () => {
    for (const seed of [0, 1, 7, 0xdeadbeef]) {
      const builder = new RngSeedGenerator(RngSeed.fromNumber(seed));
      builder.nextSeed(); // seed_generator_1: the configuration's
      const expected = new FastRand(new RngSeedGenerator(builder.nextSeed()).nextSeed());
      const rng = threadRngFor(seed);
      const draws = Array.from({ length: 8 }, () => [rng.fastrandN(1000), expected.fastrandN(1000)]);
      expect(draws.map(([a]) => a), `threadRngFor(${seed}), eight fastrandN(1000)`).toEqual(draws.map(([, b]) => b));
    }
  });

  it("each poll starts at the runtime generator's next threadRngN(branches) and goes round in order", () => {
    for (const seed of seeds(3, 7)) {
      withSeed(seed, () => {
        const { orders, starts } = pollOrders(seed, 5, 12);
        const rng = threadRngFor(seed);
        const expected = starts.map(() => rng.fastrandN(5));
        expect(starts, "the first branch polled, poll by poll").toEqual(expected);
        for (const order of orders) {
          expect(order, "from the start, wrapping").toEqual([0, 1, 2, 3, 4].map((i) => (order[0]! + i) % 5));
        }
      });
    }
  });

  it("the same seed replays the same winners; another seed gives other winners", async () => {
    const winners = (seed: number) =>
      onSeeded(seed, function* () {
        const out: number[] = [];
        for (let i = 0; i < 32; i++) out.push(yield* select([branch(ready(0), (v) => v), branch(ready(1), (v) => v)]));
        return out;
      });
    for (const seed of seeds(2, 11)) {
      await withSeed(seed, async () => {
        const first = await winners(seed);
        expect(await winners(seed), "a replay with the same seed").toEqual(first);
        const rng = threadRngFor(seed);
        expect(first, "both branches are ready: the start wins").toEqual(first.map(() => rng.fastrandN(2)));
        expect(await winners(seed + 1), "another seed").not.toEqual(first);
      });
    }
  });

  it("over many selects every branch gets to go first", async () => {
    for (const seed of seeds(3, 3)) {
      await withSeed(seed, async () => {
        const wins = await onSeeded(seed, function* () {
          const counts = [0, 0, 0, 0];
          for (let i = 0; i < 200; i++) {
            counts[yield* select([0, 1, 2, 3].map((v) => branch(ready(v), (x) => x)))]!++;
          }
          return counts;
        });
        for (const w of wins) expect(w, `wins per branch ${JSON.stringify(wins)}`).toBeGreaterThan(20);
      });
    }
  });

  it("biased polls in order every time and draws no random number", () => {
    const seed = seeds(1, 5)[0]!;
    withSeed(seed, () => {
      const rt = seededRuntime(seed);
      try {
        using _enter = rt.enter();
        const a = never<number>();
        const b = never<number>();
        const s = select([branch(a, () => 0), branch(b, () => 1)], { biased: true });
        const order: string[] = [];
        const p = probe();
        for (let i = 0; i < 5; i++) {
          p.poll(s);
          order.push(`${a.polls}${b.polls}`);
        }
        expect(order, "a is always polled first").toEqual(["11", "22", "33", "44", "55"]);
        s[Symbol.dispose]();
      } finally {
        rt.shutdown();
      }
      const afterBiased = pollOrders(seed, 3, 4, 10).starts;
      const rng = threadRngFor(seed);
      expect(afterBiased, "the generator was untouched by the biased selects").toEqual(afterBiased.map(() => rng.fastrandN(3)));
    });
  });

  it("at budget zero a select returns Pending without polling any branch, and its wake is deferred", () => {
    const a = now_(1);
    const s = select([branch(a, (v) => v)], { biased: true });
    const p = probe();
    const spent = budget(() => {
      spendBudget();
      return p.poll(s);
    });
    expect(spent).toBe(Pending);
    expect(a.polls, "no branch is polled at budget zero").toBe(0);
    expect(p.stats.wakes, "outside a runtime the deferred wake happens at once").toBe(1);
    expect(budget(() => p.poll(s)), "with a fresh budget the branch wins").toBe(1);
  });

  it("the budget is checked before anything else, even when every branch is disabled", () => {
    const s = select([branch(now_(1), () => "a", { if: false })], { else: () => "else" });
    const p = probe();
    expect(
      budget(() => {
        spendBudget();
        return p.poll(s);
      }),
    ).toBe(Pending);
    expect(budget(() => p.poll(s))).toBe("else");
    const none = select<string>([], { else: () => "no branch" });
    expect(
      budget(() => {
        spendBudget();
        return p.poll(none);
      }),
      "no branch at all: the select is over before the budget check",
    ).toBe("no branch");
  });

  it("a select spends no budget of its own", () => {
    const p = probe();
    const left = budget(() => {
      const s = select([branch(now_(1), (v) => v), branch(never<number>(), (v) => v)]);
      expect(p.poll(s), "p.poll(s)").toBe(1);
      return budgetRemaining();
    });
    expect(left).toBe(128);
  });

  it("unlike chapter 13's timeout, a select polls nothing once the budget is spent", async () => {
    const out = await paused(function* () {
      const viaSelect = never<number>();
      const viaTimeout = never<number>();
      const s = select([branch(viaSelect, (v) => v), branch(sleep(10), () => -1)], { biased: true });
      const t = timeout(10, viaTimeout);
      const hog = new Scripted<string>((_, cx) => {
        spendBudget();
        expect(s.poll(cx), "s.poll(cx)").toBe(Pending);
        expect(t.poll(cx), "t.poll(cx)").toBe(Pending);
        return "spent";
      });
      yield* hog;
      s[Symbol.dispose]();
      t[Symbol.dispose]();
      return { select: viaSelect.polls, timeout: viaTimeout.polls };
    });
    expect(out, "timeout polls its inner future first, whatever the budget").toEqual({ select: 0, timeout: 1 });
  });
});
