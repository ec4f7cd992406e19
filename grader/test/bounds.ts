/**
 * Time bounds for the grader's own tests.
 */
import { availableParallelism, loadavg } from "node:os";

/**
 * A bound in seconds on this machine: as given on an idle machine (the CI's), stretched by how many times over its
 * cores the machine was already busy, so that other work on a shared machine does not fail the test.
 */
export function bound(seconds: number): number {
  return seconds * Math.max(1, loadavg()[0]! / availableParallelism());
}
