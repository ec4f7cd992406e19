/**
 * Hidden suite of chapter 13, task 4: Tokio's test utilities on the current runtime's clock: `pause`, `resume`,
 * `advance`, `now`; auto-advance of an idle paused runtime, and none while blocking work runs.
 */
import { describe, expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, Handle, spawn } from "#kata/07-current-thread";
import { spawnBlocking, yieldNow } from "#kata/14-blocking";
import { CONTEXT } from "#kit/context";
import {
  ALREADY_FROZEN_ERROR,
  CONTEXT_MISSING_ERROR,
  Clock,
  NOT_FROZEN_ERROR,
  OUTSIDE_RUNTIME_ERROR,
  PAUSE_NEEDS_CURRENT_THREAD_ERROR,
  advance,
  now,
  pause,
  resume,
  sleep,
} from "#kata/13-time";
import { probe } from "../_support/poll.ts";
import { busyWait, paused, runOn } from "../_support/13-time.ts";

function caught(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("Task 4: Pause, resume and advance", () => {
  it("outside a runtime the test utilities throw Tokio's messages", () => {
    expect(caught(pause), "caught(pause)").toBe(OUTSIDE_RUNTIME_ERROR);
    expect(caught(resume), "caught(resume)").toBe(OUTSIDE_RUNTIME_ERROR);
    expect(caught(now), "caught(now)").toBe(CONTEXT_MISSING_ERROR);
    const fut = advance(10);
    expect(caught(() => fut.poll(probe().cx)), "advance acts when polled").toBe(OUTSIDE_RUNTIME_ERROR);
  });

  it("pause and resume the current runtime's clock", async () => {
    const out = await runOn(Builder.newCurrentThread().enableTime(), function* () {
      const resumeWhileRunning = caught(resume);
      pause();
      const frozen = now();
      busyWait(3);
      const stillFrozen = now() === frozen;
      const pauseTwice = caught(pause);
      resume();
      busyWait(2);
      return { resumeWhileRunning, stillFrozen, pauseTwice, movedAgain: now() - frozen >= 2 };
    });
    expect(out).toEqual({ resumeWhileRunning: NOT_FROZEN_ERROR, stillFrozen: true, pauseTwice: ALREADY_FROZEN_ERROR, movedAgain: true });
  });

  it("pausing needs the current-thread runtime", () => {
    const clock = new Clock({ paused: false });
    const fake = { runtimeFlavor: () => "multi_thread", driver: { clock } } as unknown as Handle;
    const prev = CONTEXT.handle;
    CONTEXT.handle = fake;
    try {
      expect(caught(pause), "caught(pause)").toBe(PAUSE_NEEDS_CURRENT_THREAD_ERROR);
    } finally {
      CONTEXT.handle = prev;
    }
    expect(clock.isPaused(), "the clock was left running").toBe(false);
  });

  it("advance moves now() by exactly that much; the timers it passes fire together at the new time", async () => {
    const out = await paused(function* () {
      const woke: [number, number][] = [];
      const sleepers = [10, 20, 30].map((ms) =>
        spawn(
          asyncBlock(function* () {
            yield* sleep(ms);
            woke.push([ms, now()]);
          }),
        ),
      );
      yield* yieldNow(); // let the sleepers register
      yield* advance(25);
      const afterAdvance = now();
      for (const s of sleepers) yield* s;
      return { afterAdvance, woke };
    });
    expect(out).toEqual({
      afterAdvance: 25,
      woke: [
        [10, 25],
        [20, 25],
        [30, 30],
      ],
    });
  });

  it("advance on a running clock throws when polled", async () => {
    const out = await runOn(Builder.newCurrentThread().enableTime(), function* () {
      try {
        yield* advance(5);
        return "advanced";
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(out).toBe(NOT_FROZEN_ERROR);
  });

  it("an idle paused runtime jumps its clock to the next timer", async () => {
    const out = await paused(function* () {
      yield* sleep(3_600_000);
      const hour = now();
      yield* sleep(1);
      return [hour, now()];
    });
    expect(out, "an hour passes at once, then a millisecond").toEqual([3_600_000, 3_600_001]);
  });

  it("a paused runtime does not auto-advance while blocking work runs", async () => {
    const out = await paused(function* () {
      const sleeper = spawn(
        asyncBlock(function* () {
          yield* sleep(5);
          return now();
        }),
      );
      const job = yield* spawnBlocking(() => {
        const until = Date.now() + 30;
        while (Date.now() < until) {
          // busy
        }
        return "done";
      });
      const afterJob = now();
      const sleeperDone = sleeper.isFinished();
      return { job, afterJob, sleeperDone, sleptUntil: yield* sleeper };
    });
    expect(out).toEqual({ job: "done", afterJob: 0, sleeperDone: false, sleptUntil: 5 });
  });

  it("advance moves the clock of the current runtime only", async () => {
    const a = Builder.newCurrentThread().enableTime().startPaused(true).build();
    const b = Builder.newCurrentThread().enableTime().startPaused(true).build();
    try {
      await a.blockOn(asyncBlock(function* () {
        yield* advance(50);
      }));
      {
        using _ = a.enter();
        expect(now(), "now()").toBe(50);
      }
      {
        using _ = b.enter();
        expect(now(), "another runtime, another clock").toBe(0);
      }
    } finally {
      a.shutdown();
      b.shutdown();
    }
  });
});
