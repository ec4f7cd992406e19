/**
 * `Event` and `Events` (mio's `event/event.rs`, `event/events.rs`): what one `poll` reports.
 *
 * `Events` is a buffer with a fixed capacity that `poll` refills: at most `capacity()` events per poll, the rest
 * wait in the selector for the next one. An `Event` is a view into that buffer (Rust hands out `&Event` borrowed
 * from `Events`): it is valid until the next `poll` or `clear`, which reuse the same objects, so a poll allocates
 * nothing. Copy what you need (`token()`, the flags) before polling again.
 *
 * The flags are decoded from the epoll bits exactly as mio decodes them on Linux:
 * readable = IN; writable = OUT; error = ERR; read closed = HUP, or IN with RDHUP;
 * write closed = HUP, or OUT with ERR, or ERR alone.
 */
import { todo } from "#kit/todo";
import type { Token } from "./token.ts";

export class Event {
  // Sketch: the token and the epoll bits of this slot.

  /** Refills this slot (used by `Events.push`). */
  set(token: Token, bits: number): void {
    todo("10-mio", "Event.set");
  }

  token(): Token {
    return todo("10-mio", "Event.token");
  }

  isReadable(): boolean {
    return todo("10-mio", "Event.isReadable");
  }

  isWritable(): boolean {
    return todo("10-mio", "Event.isWritable");
  }

  isError(): boolean {
    return todo("10-mio", "Event.isError");
  }

  isReadClosed(): boolean {
    return todo("10-mio", "Event.isReadClosed");
  }

  isWriteClosed(): boolean {
    return todo("10-mio", "Event.isWriteClosed");
  }

  /** `Event(token 3: readable, read closed)`: the flags that are set, in the order of the accessors above. */
  toString(): string {
    return todo("10-mio", "Event.toString");
  }
}

export class Events implements Iterable<Event> {
  // Sketch: the Event slots created so far (reused by later polls), the capacity, the count of the last poll.

  private constructor(capacity: number) {
    todo("10-mio", "Events.constructor");
  }

  /** A buffer for at most `capacity` events per poll; a capacity below 1 is a `RangeError`. */
  static withCapacity(capacity: number): Events {
    return todo("10-mio", "Events.withCapacity");
  }

  capacity(): number {
    return todo("10-mio", "Events.capacity");
  }

  /** How many events the last poll delivered. */
  get length(): number {
    return todo("10-mio", "Events.length");
  }

  isEmpty(): boolean {
    return todo("10-mio", "Events.isEmpty");
  }

  isFull(): boolean {
    return todo("10-mio", "Events.isFull");
  }

  clear(): void {
    todo("10-mio", "Events.clear");
  }

  /** Appends an event (the selector's side); false, and nothing stored, when full. Reuses the slot's `Event`. */
  push(token: Token, bits: number): boolean {
    return todo("10-mio", "Events.push");
  }

  /** The `i`-th event of the last poll, or undefined. */
  get(i: number): Event | undefined {
    return todo("10-mio", "Events.get");
  }

  iter(): IterableIterator<Event> {
    return todo("10-mio", "Events.iter");
  }

  [Symbol.iterator](): IterableIterator<Event> {
    return this.iter();
  }
}
