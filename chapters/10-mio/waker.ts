/**
 * `Waker` (mio's `waker.rs`): wakes a `poll` that is waiting, from anywhere.
 *
 * On Linux it is an eventfd registered under its own token: `wake()` makes it readable, so the waiting
 * `epoll_wait` returns with an event carrying that token. Here it is a tiny source whose level is "readable"
 * from `wake()` until the selector has reported it, then drops again so that the next `wake()` is a new edge.
 * Invariants: one `Waker` per `Poll` (mio asserts it); any number of wakes before a poll make one event.
 */
import { todo } from "#kit/todo";
import type { Registry } from "./poll.ts";
import type { Token } from "./token.ts";

// Sketch: a small `SysSource` subclass whose `readiness()` is EPOLLIN while a wake is pending, whose `wake()`
// sets the flag and calls `wakeup()`, and whose `collected()` clears it and calls `wakeup()` again.

export class Waker {
  /**
   * Registers the waker's source under `token` for READABLE. A second waker on the same selector throws
   * "Only a single `Waker` can be active per `Poll` instance" (see `Selector.hasWaker`).
   */
  constructor(registry: Registry, token: Token) {
    todo("10-mio", "Waker.constructor");
  }

  wake(): void {
    todo("10-mio", "Waker.wake");
  }
}
