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
import type { Events } from "./event.ts";
import type { Interest } from "./interest.ts";
import { Selector } from "./selector.ts";
import type { Source } from "./source.ts";
import { Token } from "./token.ts";

export class Registry {
  constructor(readonly selector: Selector) {}

  register(source: Source, token: Token, interests: Interest): void {
    source.register(this, Token(token), interests);
  }

  reregister(source: Source, token: Token, interests: Interest): void {
    source.reregister(this, Token(token), interests);
  }

  deregister(source: Source): void {
    source.deregister(this);
  }

  /** Another handle to the same selector. */
  tryClone(): Registry {
    return new Registry(this.selector);
  }
}

export class Poll {
  readonly #registry = new Registry(new Selector());

  registry(): Registry {
    return this.#registry;
  }

  poll(events: Events, timeoutMs?: number): Promise<void> {
    if (timeoutMs !== undefined && !(timeoutMs >= 0)) throw new RangeError(`invalid poll timeout ${timeoutMs}`);
    return this.#registry.selector.select(events, timeoutMs);
  }

  /** True while a source fed by Node's event loop (a real socket) is registered. */
  get needsEventLoop(): boolean {
    return this.#registry.selector.needsEventLoop;
  }

  close(): void {
    this.#registry.selector.close();
  }
}
