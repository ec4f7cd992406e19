/**
 * Setup file for every test fork: the assertion library is frozen before any learner code loads, and a canary
 * checks that a false assertion still fails.
 *
 * A learner module that patches `chai.Assertion.prototype.assert` (or `expect`) would make every assertion pass.
 * Freezing makes such a patch throw at import; the canary (`it.fails`, registered here so it runs first in every
 * file) and the `afterAll` re-check catch what freezing cannot (say, a patched `Object.is`). The grader accepts a
 * file's results only if its canary is reported passed.
 */
import { afterAll, chai, expect, it } from "vitest";
import { CANARY, INTEGRITY_ERROR } from "./protocol.ts";

Object.freeze(chai.Assertion.prototype);
Object.freeze(chai.Assertion);
Object.freeze(expect);
if (Object.getOwnPropertyDescriptor(globalThis, "expect")?.value !== expect) {
  Object.defineProperty(globalThis, "expect", { value: expect, writable: false, configurable: false });
}

function falseAssertionFails(): boolean {
  try {
    expect(1).toBe(2);
    return false;
  } catch {
    return true;
  }
}

it.fails(CANARY, () => {
  expect(1).toBe(2);
});

afterAll(() => {
  if (!falseAssertionFails()) throw new Error(`${INTEGRITY_ERROR} a false assertion no longer fails after the tests ran`);
});
