/**
 * An interval on a paused runtime: the first tick at once, then one per period; what happens after a stall.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder } from "#kata/07-current-thread";
import { MissedTickBehavior, advance, interval, now } from "#kata/13-time";

it("ticks return their scheduled instants; Skip keeps to the grid after a stall", async () => {
  const rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  try {
    const seen = await rt.blockOn(
      asyncBlock(function* () {
        const iv = interval(10);
        iv.setMissedTickBehavior(MissedTickBehavior.Skip);
        const out: string[] = [];
        for (let i = 0; i < 3; i++) out.push(`${yield* iv.tick()}@${now()}`);
        yield* advance(37); // the task stalls: now 57
        for (let i = 0; i < 3; i++) out.push(`${yield* iv.tick()}@${now()}`);
        return out;
      }),
    );
    expect(seen).toEqual(["0@0", "10@10", "20@20", "30@57", "60@60", "70@70"]);
  } finally {
    rt.shutdown();
  }
});
