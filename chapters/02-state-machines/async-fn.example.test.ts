/**
 * Async functions for our futures: `yield*` is `.await`.
 */
import { expect, it } from "vitest";
import { countdown, ready, spin } from "#kata/01-poll";
import { andThen, asyncFn, join, map } from "#kata/02-state-machines";

it("an async function awaits futures with yield* and returns a value", () => {
  const addSlowly = asyncFn(function* (a: number, b: number) {
    const polls = yield* countdown(2); // 3 polls
    const sum = yield* ready(a + b);
    return sum * 100 + polls;
  });
  expect(spin(addSlowly(1, 2))).toEqual({ output: 303, polls: 3, wasted: 2 });
});

it("combinators glue futures together", () => {
  const both = join(
    map(countdown(1), (n) => `after ${n} polls`),
    andThen(ready(4), (n) => ready(n * n)),
  );
  expect(spin(both).output).toEqual(["after 2 polls", 16]);
});
