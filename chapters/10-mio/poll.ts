/**
 * `Poll` and `Registry` (mio's `poll.rs`): the public face of the selector.
 *
 *     const poll = new Poll();
 *     const events = Events.withCapacity(128);
 *     poll.registry().register(stream, Token(1), Interest.READABLE.add(Interest.WRITABLE));
 *     await poll.poll(events, undefined);           // wait until something is ready
 *     for (const ev of events) ...                   // ev.token(), ev.isReadable(), ...
 *
 * Contract (mio's, edge-triggered): an event says a source *became* ready; drain it (read or write until
 * `WouldBlock`) before expecting another. Events may be spurious: an operation may still return `WouldBlock`.
 *
 * `poll(events, timeoutMs)` returns a promise, because JavaScript cannot block: with `timeoutMs` 0 it only
 * collects what is ready (the events are there as soon as `poll` returns, and the promise is already settled);
 * with `undefined` it waits without limit. Both backends can be registered with the same `Poll`.
 * JavaScript has no destructors, so `close()` does what dropping the sockets would: it closes every source still
 * registered.
 */
import { todo } from "#kit/todo";
import type { Events } from "./event.ts";
import type { Interest } from "./interest.ts";
import type { Selector } from "./selector.ts";
import type { Source } from "./source.ts";
import type { Token } from "./token.ts";

export class Registry {
  constructor(readonly selector: Selector) {}

  /** Checks the token (`Token(token)`) and asks the source to register itself, as mio does. */
  register(source: Source, token: Token, interests: Interest): void {
    todo("10-mio", "Registry.register");
  }

  reregister(source: Source, token: Token, interests: Interest): void {
    todo("10-mio", "Registry.reregister");
  }

  deregister(source: Source): void {
    todo("10-mio", "Registry.deregister");
  }

  /** Another handle to the same selector. */
  tryClone(): Registry {
    return todo("10-mio", "Registry.tryClone");
  }
}

export class Poll {
  // Sketch: one Registry over a new Selector.

  registry(): Registry {
    return todo("10-mio", "Poll.registry");
  }

  /** `select` on the registry's selector; a negative or NaN timeout is a `RangeError`. */
  poll(events: Events, timeoutMs?: number): Promise<void> {
    return todo("10-mio", "Poll.poll");
  }

  /** True while a source fed by Node's event loop (a real socket) is registered. */
  get needsEventLoop(): boolean {
    return todo("10-mio", "Poll.needsEventLoop");
  }

  close(): void {
    todo("10-mio", "Poll.close");
  }
}
