/**
 * Public examples for chapter 07: a runtime that runs tasks, a handle used from outside, and main().
 */
import { describe, expect, it } from "vitest";
import { ready } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, Handle, main, spawn } from "#kata/07-current-thread";
import { yieldNow } from "#kata/14-blocking";

describe("chapter 07 examples", () => {
  it("blockOn drives spawned tasks; each one interleaves at its yields", async () => {
    using rt = Builder.newCurrentThread().build();
    const log: string[] = [];
    const worker = (name: string) =>
      asyncBlock(function* () {
        for (let i = 0; i < 3; i++) {
          log.push(`${name}${i}`);
          yield* yieldNow();
        }
      });
    await rt.blockOn(
      asyncBlock(function* () {
        const a = spawn(worker("a"));
        const b = spawn(worker("b"));
        yield* a;
        yield* b;
      }),
    );
    expect(log.sort()).toEqual(["a0", "a1", "a2", "b0", "b1", "b2"]);
    expect(rt.metrics().numAliveTasks()).toBe(0);
  });

  it("a Handle spawns from outside; the task runs when the runtime is driven", async () => {
    using rt = Builder.newCurrentThread().build();
    const handle = rt.handle();
    const job = handle.spawn(
      asyncBlock(function* () {
        return Handle.current() === handle ? "ran inside" : "wrong runtime";
      }),
    );
    expect(rt.metrics().globalQueueDepth(), "waiting in the inject queue").toBe(1);
    expect(await rt.blockOn(job)).toBe("ran inside");
  });

  it("main() is #[tokio::main]: build, block on the body, shut down", async () => {
    const answer = await main(function* () {
      const h = spawn(ready(41));
      return (yield* h) + 1;
    }, Builder.newCurrentThread());
    expect(answer).toBe(42);
  });
});
