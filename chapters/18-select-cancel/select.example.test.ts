/**
 * `select` in a loop (seed 11.5), `join` and `tryJoin`, on a paused runtime: no real time passes.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { now, sleep } from "#kata/13-time";
import { mpsc } from "#kata/16-channels";
import { CancellationToken, branch, join, select, tryJoin } from "#kata/18-select-cancel";

it("a worker loop: messages, an idle tick, and a stop signal", async () => {
  const rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  try {
    const log = await rt.blockOn(
      asyncBlock(function* () {
        const [tx, rx] = mpsc.channel<string>(8);
        const stop = new CancellationToken();
        spawn(
          asyncBlock(function* () {
            yield* tx.send("first");
            yield* sleep(50);
            yield* tx.send("second");
            yield* sleep(100);
            stop.cancel();
          }),
        );
        const out: string[] = [];
        for (;;) {
          const event = yield* select<string | null>(
            [
              branch(stop.cancelled(), () => null),
              branch(rx.recv(), (msg) => `${msg} at ${now()}`, { match: (msg) => msg !== undefined }),
              branch(sleep(40), () => `idle at ${now()}`),
            ],
            { biased: true, else: () => null },
          );
          if (event === null) return out;
          out.push(event);
        }
      }),
    );
    expect(log).toEqual(["first at 0", "idle at 40", "second at 50", "idle at 90", "idle at 130"]);
  } finally {
    rt.shutdown();
  }
});

it("join waits for all; tryJoin stops at the first error and drops the rest", async () => {
  const rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  const after = <T>(ms: number, value: T, fail = false) =>
    asyncBlock(function* () {
      yield* sleep(ms);
      if (fail) throw new Error(`failed after ${ms} ms`);
      return value;
    });
  try {
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const [a, b] = yield* join([after(30, "slow"), after(10, 42)]);
        const joinedAt = now();
        let error = "";
        try {
          yield* tryJoin([after(1_000, "never"), after(5, 0, true)]);
        } catch (e) {
          error = `${(e as Error).message}, at ${now() - joinedAt} ms`;
        }
        return { a, b, joinedAt, error };
      }),
    );
    expect(out).toEqual({ a: "slow", b: 42, joinedAt: 30, error: "failed after 5 ms, at 5 ms" });
  } finally {
    rt.shutdown();
  }
});
