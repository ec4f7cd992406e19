/**
 * `main(body)`: what `#[tokio::main]` expands to (seed 5.2).
 *
 *     #[tokio::main(flavor = "current_thread")]     main(function* () {
 *     async fn main() { ... }                    ~>    ...
 *                                                 });
 *
 * Builds a runtime (current-thread with everything enabled, unless a builder is given), runs the body to
 * completion with `blockOn`, shuts the runtime down, and settles with the body's output (or rejects with what
 * it threw). The body is a generator function, or an async function made with `asyncFn`; either way it starts
 * inside the runtime, as the body of `async fn main` does.
 *
 * Task 6 of the lesson.
 */
import type { Future } from "#kata/01-poll";
import type { AsyncGen } from "#kata/02-state-machines";
import { todo } from "#kit/todo";
import { Builder } from "./builder.ts";

export async function main<T>(
  body: () => AsyncGen<T> | Future<T>,
  builder: Builder = Builder.newCurrentThread().enableAll(),
): Promise<T> {
  return todo("07-current-thread", "main");
}
