/**
 * A thief's side: stealing half of another worker's queue.
 */
import { expect, it } from "vitest";
import { Inject } from "#kata/07-current-thread";
import { local } from "#kata/08-run-queue";

it("an idle worker steals half of a busy one's queue and runs one of the stolen tasks at once", () => {
  const [busySteal, busy] = local();
  const [, idle] = local();
  const inject = new Inject<number>();
  const busyStats = { stealCount: 0, stealOperations: 0, overflowCount: 0 };
  const idleStats = { stealCount: 0, stealOperations: 0, overflowCount: 0 };
  for (let task = 1; task <= 9; task++) busy.pushBackOrOverflow(task, inject, busyStats);

  const runNow = busySteal.stealInto(idle, idleStats);

  expect(runNow, "five stolen (half of nine, rounded up); the newest of them is run at once").toBe(5);
  expect(idleStats.stealCount).toBe(5);
  expect([idle.pop(), idle.pop(), idle.pop(), idle.pop(), idle.pop()]).toEqual([1, 2, 3, 4, undefined]);
  expect(busy.len(), "the victim keeps its newest four").toBe(4);
});
