/**
 * The owner's side of the queue: push, pop, and what happens when it fills up.
 */
import { expect, it } from "vitest";
import { Inject } from "#kata/07-current-thread";
import { local } from "#kata/08-run-queue";

const stats = () => ({ stealCount: 0, stealOperations: 0, overflowCount: 0 });

it("tasks come out of the local queue in the order they went in", () => {
  const [, queue] = local();
  const inject = new Inject<number>();
  for (const task of [10, 20, 30]) queue.pushBackOrOverflow(task, inject, stats());
  expect(queue.len()).toBe(3);
  expect([queue.pop(), queue.pop(), queue.pop(), queue.pop()]).toEqual([10, 20, 30, undefined]);
});

it("a full queue sends its newest half and the new task to the inject queue", () => {
  const [, queue] = local();
  const inject = new Inject<number>();
  const s = stats();
  for (let task = 0; task < 257; task++) queue.pushBackOrOverflow(task, inject, s);
  expect(s.overflowCount).toBe(1);
  expect(queue.len(), "the oldest 128 stay").toBe(128);
  expect(inject.length, "128 + the new task").toBe(129);
  expect(inject.pop(), "the oldest of the ones that moved").toBe(128);
});
