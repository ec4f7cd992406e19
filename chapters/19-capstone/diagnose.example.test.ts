/**
 * Seed 16.1: "slow after the first hundred requests". A lock held across a slow call makes every other request
 * wait for it; the lock monitor's idle count gives it away. Copying out and unlocking first fixes it.
 */
import { expect, it } from "vitest";
import { diagnose, hotMutex } from "#kata/19-capstone";

it("a lock held across an await is diagnosed as a hot mutex; the fixed version is healthy", async () => {
  const bad = await hotMutex({ holdAcrossAwait: true });
  expect(bad.locks!.totalIdledCount).toBe(9); // of 10 acquisitions, 9 had to wait
  expect(diagnose(bad)).toEqual(["hot-mutex"]);
  expect(diagnose(await hotMutex({ holdAcrossAwait: false }))).toEqual([]);
});
