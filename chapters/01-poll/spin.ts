/**
 * `spin(future)`: the simplest executor there is, and the one we must not build.
 *
 * It polls in a loop until the future is ready, ignoring wakes (its waker is the no-op waker), so every `Pending`
 * it receives is a wasted poll: CPU spent to learn that nothing changed. Chapter 04 replaces it with an executor
 * that sleeps until woken. `maxPolls` bounds the loop so a future that never completes ends in an error instead
 * of a hang.
 *
 * Invariants: one `Context` serves every poll; the future is never polled after it returned its output; spin owns
 * the future, so when it abandons it (the limit is reached, or `poll` threw) it disposes it exactly once, as Rust
 * drops a future on both paths.
 */
import { todo } from "#kit/todo";
import type { Future } from "./future.ts";

export interface SpinReport<T> {
  /** The future's output. */
  output: T;
  /** How many times `poll` was called, the last (ready) one included. */
  polls: number;
  /** How many of those polls returned `Pending`. */
  wasted: number;
}

export class SpinLimitError extends Error {
  override readonly name = "SpinLimitError";
  constructor(readonly maxPolls: number) {
    super(`the future was still pending after ${maxPolls} polls`);
  }
}

/**
 * Polls `future` with a context built on `Waker.noop()` (from chapter 03) until it is ready, at most `maxPolls`
 * times. Returns the output and the counts. After `maxPolls` pending polls it disposes the future and throws
 * `SpinLimitError`; if `poll` throws, it disposes the future and rethrows the same error.
 */
export function spin<T>(future: Future<T>, maxPolls = 1_000_000): SpinReport<T> {
  return todo("01-poll", "spin");
}
