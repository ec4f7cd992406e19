/**
 * Polling futures by hand: what an executor does, one call at a time.
 */
import { describe, expect, it } from "vitest";
import { Context, Waker } from "#kata/03-waker";
import { Pending, countdown, pending, pollFn, ready } from "#kata/01-poll";

describe("polling by hand", () => {
  const cx = new Context(Waker.noop());

  it("a ready future gives its value on the first poll", () => {
    expect(ready("hello").poll(cx)).toBe("hello");
  });

  it("pending() never completes", () => {
    const never = pending<number>();
    for (let i = 0; i < 3; i++) expect(never.poll(cx)).toBe(Pending);
  });

  it("pollFn keeps its state in the closure: a yield_now", () => {
    let yielded = false;
    const yieldNow = pollFn((cx) => {
      if (yielded) return "done";
      yielded = true;
      cx.waker.wakeByRef(); // poll me again
      return Pending;
    });
    expect(yieldNow.poll(cx)).toBe(Pending);
    expect(yieldNow.poll(cx)).toBe("done");
  });

  it("a countdown is pending n times, then counts its polls", () => {
    const c = countdown(2);
    expect([c.poll(cx), c.poll(cx), c.poll(cx)]).toEqual([Pending, Pending, 3]);
  });
});
