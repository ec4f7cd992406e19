/**
 * JavaScript's promises and our futures, both ways.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder } from "#kata/07-current-thread";
import { now, sleep } from "#kata/13-time";
import { fromPromise, toPromise } from "#kata/15-coloring";

it("a task awaits a promise; async JavaScript awaits a task", async () => {
  const rt = Builder.newCurrentThread().enableAll().startPaused(true).build();
  try {
    // A promise (eager, settled by Node's event loop) awaited inside the runtime.
    const inside = await rt.blockOn(
      asyncBlock(function* () {
        const text = yield* fromPromise(Promise.resolve("from a promise"));
        yield* sleep(100);
        return `${text}, then slept until ${now()}`;
      }),
    );
    expect(inside).toBe("from a promise, then slept until 100");

    // A future (lazy, run by the runtime) awaited from plain async code, while the runtime is driven.
    let release!: () => void;
    const driving = rt.blockOn(fromPromise(new Promise<void>((resolve) => (release = resolve))));
    const answer = await toPromise(
      asyncBlock(function* () {
        yield* sleep(5);
        return 42;
      }),
      rt.handle(),
    );
    release();
    await driving;
    expect(answer).toBe(42);
  } finally {
    rt.shutdown();
  }
});
