/**
 * `ready(value)`: a future that is complete on its first poll (Rust's `std::future::ready`).
 * Invariant: it hands its value out once; a second poll is a misuse and throws.
 */
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import { FutureBase } from "./future.ts";
import type { Poll } from "./poll.ts";

export class Ready<T> extends FutureBase<T> {
  // Sketch: the value, and whether it has been handed out.

  constructor(value: T) {
    super();
    todo("01-poll", "Ready.constructor");
  }

  /** Returns the value on the first poll; throws "`Ready` polled after completion" on any later poll. */
  poll(_cx: Context): Poll<T> {
    return todo("01-poll", "Ready.poll");
  }
}

export function ready<T>(value: T): Ready<T> {
  return new Ready(value);
}
