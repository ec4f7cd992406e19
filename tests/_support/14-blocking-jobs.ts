/**
 * Jobs for chapter 14's integration tests. This module is imported by the pool's worker threads, never by the
 * runtime's thread: each export runs on a blocking thread.
 */
import { threadId } from "node:worker_threads";

/** The id of the thread the job runs on (0 is the main thread). */
export function whichThread(): number {
  return threadId;
}

/** Naive Fibonacci: CPU work that never yields. */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** Throws an Error with `message`. */
export function fail(message: string): never {
  throw new Error(message);
}

/**
 * Blocks the thread until `cell[0]` becomes non-zero (the test sets it with `Atomics.store` and
 * `Atomics.notify`), then returns the value it found and the thread's id.
 */
export function waitFor(cell: Int32Array): { value: number; thread: number } {
  while (Atomics.load(cell, 0) === 0) Atomics.wait(cell, 0, 0, 1000);
  return { value: Atomics.load(cell, 0), thread: threadId };
}
