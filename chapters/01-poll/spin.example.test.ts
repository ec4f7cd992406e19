/**
 * The spinning executor: it finishes, but it wastes a poll for every `Pending`.
 */
import { expect, it } from "vitest";
import { SpinLimitError, countdown, lazy, pending, spin } from "#kata/01-poll";

it("spin runs a countdown and reports the wasted polls", () => {
  expect(spin(countdown(5))).toEqual({ output: 6, polls: 6, wasted: 5 });
});

it("nothing in a lazy future runs before the executor polls it", () => {
  const log: string[] = [];
  const fut = lazy(() => {
    log.push("ran");
    return 7;
  });
  log.push("created");
  expect(spin(fut).output).toBe(7);
  expect(log).toEqual(["created", "ran"]);
});

it("spin gives up on a future that never completes", () => {
  expect(() => spin(pending(), 100)).toThrow(SpinLimitError);
});
