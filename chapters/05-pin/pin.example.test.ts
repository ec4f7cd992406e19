/**
 * A self-referential future: moved after its first poll it breaks; pinned in a box it runs to completion.
 */
import { expect, it } from "vitest";
import { Context, Waker } from "#kata/03-waker";
import { Pending, pollFn, spin } from "#kata/01-poll";
import { Box, Memory, Pin, pollReadLater, readLater } from "#kata/05-pin";

const cx = new Context(Waker.noop());

it("moving a polled future is a use after move", () => {
  const mem = new Memory();
  const fut = readLater(mem, [10, 20, 30], 1); // async fn read_later(data, 1): let ptr = &data[1]; ...
  expect(pollReadLater(Pin.newUnchecked(fut), cx)).toBe(Pending); // ptr now points into the future
  const moved = fut.move(); // what Pin exists to forbid
  expect(() => pollReadLater(Pin.newUnchecked(moved), cx)).toThrow(/use after move/);
});

it("Box.pin keeps the future at one address for its whole life", () => {
  const mem = new Memory();
  const boxed = Box.pin(readLater(mem, [10, 20, 30], 1)); // moved once, before the first poll: fine
  const report = spin(pollFn((cx) => pollReadLater(boxed.asMut(), cx)));
  expect(report).toEqual({ output: 20, polls: 2, wasted: 1 });
});
