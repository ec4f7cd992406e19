/**
 * The seed's `example()`, hand-compiled: watch its state change as it is polled.
 */
import { expect, it } from "vitest";
import { Context, Waker } from "#kata/03-waker";
import { Pending, countdown, ready } from "#kata/01-poll";
import { example, map } from "#kata/02-state-machines";

it("example() is lazy, resumable, and keeps only what it needs", () => {
  const cx = new Context(Waker.noop());
  const fut = example(
    () => map(countdown(1), () => 2), // read_value(): pending once, then 2
    (x) => ready(x * 10), //            compute(x): ready at once
  );
  expect(fut.state.tag).toBe("Start"); // nothing ran
  expect(fut.poll(cx)).toBe(Pending);
  expect(fut.state.tag).toBe("Awaiting1");
  expect(fut.poll(cx)).toBe(22); // x = 2, y = 20: through Awaiting2 in the same poll
  expect(fut.state.tag).toBe("Done");
});
