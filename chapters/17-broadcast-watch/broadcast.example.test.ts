/**
 * Seed 11.3: fan-out. Every subscriber sees every message; one that falls behind is told how much it missed.
 */
import { expect, it } from "vitest";
import { broadcast } from "#kata/17-broadcast-watch";

it("two subscribers see the same messages; a slow one lags", () => {
  const [tx, fast] = broadcast.channel<string>(2);
  const slow = tx.subscribe();
  const fastSaw: string[] = [];
  for (const m of ["a", "b", "c", "d"]) {
    tx.send(m);
    fastSaw.push(fast.tryRecv()); // keeps up
  }
  expect(fastSaw).toEqual(["a", "b", "c", "d"]);
  // The slow one read nothing: with 2 slots, "a" and "b" were overwritten.
  let missed = 0;
  try {
    slow.tryRecv();
  } catch (e) {
    if (e instanceof broadcast.TryRecvError && e.kind === "lagged") missed = e.missed;
  }
  expect(missed).toBe(2);
  expect([slow.tryRecv(), slow.tryRecv()]).toEqual(["c", "d"]);
});
