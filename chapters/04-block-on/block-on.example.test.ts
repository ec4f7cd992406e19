/**
 * `blockOn`: the bridge from promises into our futures. It polls only when the future's waker is used.
 */
import { expect, it } from "vitest";
import type { Context, Waker } from "#kata/03-waker";
import { FutureBase, Pending, countdown, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { blockOn } from "#kata/04-block-on";

/**
 * A future that completes on a later turn of Node's event loop: its first poll stores a clone of the waker and
 * schedules a callback (as an I/O driver would when a socket becomes readable); the callback wakes the task.
 */
class NextTurn extends FutureBase<string> {
  #fired = false;
  #started = false;
  polls = 0;
  poll(cx: Context): Poll<string> {
    this.polls++;
    if (this.#fired) return "next turn";
    if (!this.#started) {
      this.#started = true;
      const waker: Waker = cx.waker.clone();
      setImmediate(() => {
        this.#fired = true;
        waker.wake();
      });
    }
    return Pending;
  }
}

it("blockOn sleeps until the wake, then polls once more", async () => {
  const fut = new NextTurn();
  expect(await blockOn(fut)).toBe("next turn");
  expect(fut.polls).toBe(2); // one poll to start, one after the wake: none wasted
});

it("blockOn runs async functions", async () => {
  const out = await blockOn(
    asyncBlock(function* () {
      const a = yield* countdown(3); // wakes itself: 4 polls, no parking in between
      const b = yield* new NextTurn();
      return `${a}, ${b}`;
    }),
  );
  expect(out).toBe("4, next turn");
});
