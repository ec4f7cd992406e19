/**
 * Dropping a suspended async function runs its `finally` blocks: Rust's drop, by hand.
 */
import { expect, it } from "vitest";
import { Context, Waker } from "#kata/03-waker";
import { Pending, pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";

it("dispose stops the body where it is suspended and runs its cleanup", () => {
  const log: string[] = [];
  const fut = asyncBlock(function* () {
    try {
      log.push("started");
      yield* pending<void>(); // suspended here forever...
      log.push("never");
    } finally {
      log.push("cleaned up"); // ...until someone drops the future
    }
  });
  expect(fut.poll(new Context(Waker.noop()))).toBe(Pending);
  fut[Symbol.dispose]();
  expect(log).toEqual(["started", "cleaned up"]);
});
