/**
 * Seed 12.1: where does a task's time go? A TaskMonitor wraps the task's future (and its waker) and counts polls,
 * idle time and scheduling delays. On a paused clock the numbers are exact.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { TaskMonitor } from "#kata/19-capstone";

it("a request that waits twice: three polls, two idles, 300 ms idle in all", async () => {
  using rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  const metrics = await rt.blockOn(
    asyncBlock(function* () {
      const monitor = new TaskMonitor(); // binds the runtime's (paused) clock
      const request = asyncBlock(function* () {
        yield* sleep(100); // waiting for a database, say
        yield* sleep(200);
      });
      yield* spawn(monitor.instrument(request));
      return monitor.cumulative();
    }),
  );
  expect(metrics.totalPollCount).toBe(3);
  expect(metrics.totalIdledCount).toBe(2);
  expect(metrics.totalIdleDuration).toBe(300);
  expect(metrics.meanIdleDuration()).toBe(150);
  expect(metrics.totalSlowPollCount).toBe(0); // nothing burned CPU
});
