/**
 * Time on a paused runtime: sleeps that take no real time, and a timeout.
 */
import { expect, it } from "vitest";
import { pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { Elapsed, now, sleep, timeout } from "#kata/13-time";

it("sleeps finish in deadline order, at exactly their deadlines, in no real time", async () => {
  const rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  try {
    const woke = await rt.blockOn(
      asyncBlock(function* () {
        const log: string[] = [];
        const tasks = [3_600_000, 50, 1_000].map((ms) =>
          spawn(
            asyncBlock(function* () {
              yield* sleep(ms);
              log.push(`${ms} ms sleep woke at ${now()}`);
            }),
          ),
        );
        for (const t of tasks) yield* t;
        return log;
      }),
    );
    expect(woke).toEqual(["50 ms sleep woke at 50", "1000 ms sleep woke at 1000", "3600000 ms sleep woke at 3600000"]);
  } finally {
    rt.shutdown();
  }
});

it("timeout gives up on a future that takes too long", async () => {
  const rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  try {
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const fast = yield* timeout(100, asyncBlock(function* () {
          yield* sleep(10);
          return "fast";
        }));
        try {
          yield* timeout(100, pending<string>());
          return [fast, "never"];
        } catch (e) {
          return [fast, e instanceof Elapsed ? `${(e as Elapsed).message} at ${now()}` : String(e)];
        }
      }),
    );
    expect(out).toEqual(["fast", "deadline has elapsed at 110"]);
  } finally {
    rt.shutdown();
  }
});
