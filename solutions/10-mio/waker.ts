/**
 * `Waker` (mio's `waker.rs`): wakes a `poll` that is waiting, from anywhere.
 *
 * On Linux it is an eventfd registered under its own token: `wake()` makes it readable, so the waiting
 * `epoll_wait` returns with an event carrying that token. Here it is a tiny source whose level is "readable"
 * from `wake()` until the selector has reported it, then drops again so that the next `wake()` is a new edge.
 * Invariants: one `Waker` per `Poll` (mio asserts it); any number of wakes before a poll make one event.
 */
import { EPOLLIN } from "./epoll.ts";
import { Interest } from "./interest.ts";
import type { Registry } from "./poll.ts";
import { SysSource } from "./source.ts";
import type { Token } from "./token.ts";

class WakerSource extends SysSource {
  readonly needsEventLoop = false;
  #pending = false;

  readiness(): number {
    return this.#pending ? EPOLLIN : 0;
  }

  wake(): void {
    this.#pending = true;
    this.wakeup();
  }

  override collected(): void {
    this.#pending = false;
    this.wakeup();
  }

  close(): void {
    this.detach();
  }
}

export class Waker {
  readonly #source = new WakerSource();

  constructor(registry: Registry, token: Token) {
    const selector = registry.selector;
    if (selector.hasWaker) throw new Error("Only a single `Waker` can be active per `Poll` instance");
    registry.register(this.#source, token, Interest.READABLE);
    selector.hasWaker = true;
  }

  wake(): void {
    this.#source.wake();
  }
}
