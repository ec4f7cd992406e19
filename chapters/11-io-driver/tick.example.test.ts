/**
 * The readiness word by hand: the driver sets, the task clears, and the tick keeps a newer event alive.
 */
import { expect, it } from "vitest";
import { Context, Waker } from "#kata/03-waker";
import { READ, Ready, ReadyEvent, ScheduledIo } from "#kata/11-io-driver";

it("a clear made from an old snapshot does not erase a newer event", () => {
  const io = new ScheduledIo(1);
  const cx = new Context(Waker.noop());

  io.setReadiness(Ready.READABLE); // the driver: an event (tick 1)
  const seen = io.pollReadiness(cx, READ) as ReadyEvent; // the task: ready, tick 1
  expect(ReadyEvent.tick(seen)).toBe(1);

  // The task's read returns WouldBlock, but before it clears, new data arrives:
  io.setReadiness(Ready.READABLE); // the driver again (tick 2)
  io.clearReadiness(seen); // tick 1 ≠ 2: nothing is cleared

  expect(io.ready()).toBe(Ready.READABLE);
  expect(io.tick()).toBe(2);
});
