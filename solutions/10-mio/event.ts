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
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDHUP } from "./epoll.ts";
import type { Token } from "./token.ts";

export class Event {
  #token: Token = 0;
  #bits = 0;

  /** Refills this slot (used by `Events.push`). */
  set(token: Token, bits: number): void {
    this.#token = token;
    this.#bits = bits;
  }

  token(): Token {
    return this.#token;
  }

  isReadable(): boolean {
    return (this.#bits & EPOLLIN) !== 0;
  }

  isWritable(): boolean {
    return (this.#bits & EPOLLOUT) !== 0;
  }

  isError(): boolean {
    return (this.#bits & EPOLLERR) !== 0;
  }

  isReadClosed(): boolean {
    const b = this.#bits;
    return (b & EPOLLHUP) !== 0 || ((b & EPOLLIN) !== 0 && (b & EPOLLRDHUP) !== 0);
  }

  isWriteClosed(): boolean {
    const b = this.#bits;
    return (b & EPOLLHUP) !== 0 || ((b & EPOLLOUT) !== 0 && (b & EPOLLERR) !== 0) || b === EPOLLERR;
  }

  toString(): string {
    const flags = [
      this.isReadable() && "readable",
      this.isWritable() && "writable",
      this.isReadClosed() && "read closed",
      this.isWriteClosed() && "write closed",
      this.isError() && "error",
    ].filter(Boolean);
    return `Event(token ${this.#token}: ${flags.join(", ")})`;
  }
}

export class Events implements Iterable<Event> {
  readonly #slots: Event[] = [];
  readonly #capacity: number;
  #len = 0;

  private constructor(capacity: number) {
    this.#capacity = capacity;
  }

  static withCapacity(capacity: number): Events {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new RangeError(`Events needs a capacity of at least 1, got ${capacity}`);
    }
    return new Events(capacity);
  }

  capacity(): number {
    return this.#capacity;
  }

  /** How many events the last poll delivered. */
  get length(): number {
    return this.#len;
  }

  isEmpty(): boolean {
    return this.#len === 0;
  }

  isFull(): boolean {
    return this.#len === this.#capacity;
  }

  clear(): void {
    this.#len = 0;
  }

  /** Appends an event (the selector's side); false, and nothing stored, when full. */
  push(token: Token, bits: number): boolean {
    if (this.#len === this.#capacity) return false;
    let slot = this.#slots[this.#len];
    if (slot === undefined) {
      slot = new Event();
      this.#slots.push(slot);
    }
    slot.set(token, bits);
    this.#len++;
    return true;
  }

  /** The `i`-th event of the last poll. */
  get(i: number): Event | undefined {
    return i >= 0 && i < this.#len ? this.#slots[i] : undefined;
  }

  *iter(): IterableIterator<Event> {
    for (let i = 0; i < this.#len; i++) yield this.#slots[i]!;
  }

  [Symbol.iterator](): IterableIterator<Event> {
    return this.iter();
  }
}
