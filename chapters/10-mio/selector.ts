/**
 * `Selector`: our epoll (mio's `sys/unix/selector/epoll.rs` over the kernel's `eventpoll`). Edge-triggered,
 * always, as mio registers every source with `EPOLLET`.
 *
 *     source changes ──wakeup()──► did a bit of interest rise? ──yes──► ready list ──select()──► Events
 *
 * Invariants:
 * - a source is reported when a readiness bit it is registered for **rises** (0 → 1); a source whose level
 *   stays up is not reported again, so whoever stops before `WouldBlock` is never told again;
 * - `add` and `modify` report the current level at once if it intersects the interest (epoll checks readiness
 *   when a file is added or modified), so a fresh registration never misses what is already there;
 * - a source sits in the ready list at most once, and is reported with its level **at collection time**; one
 *   whose level has fallen to nothing by then is skipped (epoll re-polls each ready file);
 * - at most `events.capacity()` events per `select`; the rest stay queued, in order, for the next one;
 * - `select` with timeout 0 fills `events` before it returns; otherwise, when nothing is ready, it waits until a
 *   source is queued, the `Waker` fires, or the timeout (whole milliseconds, rounded up) elapses. A source fed by
 *   Node's event loop releases it on the next `setImmediate`, so that every socket Node reports in one turn of its
 *   loop is collected together. One waiter at a time: a second `select` while one waits is an error.
 * The devices of registered sources (simulated networks) catch up with their clocks at the start of each `select`.
 *
 * Given: `EpItem` (the record of one registration) and `Device`. You write `Selector` (Task 2).
 */
import { todo } from "#kit/todo";
import type { Events } from "./event.ts";
import type { Interest } from "./interest.ts";
import type { SysSource } from "./source.ts";
import type { Token } from "./token.ts";

/** The selector's record of one registered source. */
export class EpItem {
  /** The last level the selector saw, to detect rising bits. */
  last = 0;
  /** In the ready list now. */
  queued = false;
  /** False once deregistered (an item still in the ready list is then skipped). */
  live = true;

  constructor(
    readonly selector: Selector,
    readonly source: SysSource,
    public token: Token,
    /** The epoll bits of interest: `interestMask(interests)`. */
    public mask: number,
  ) {}
}

/** Something that makes sources ready as its own clock advances (a simulated network). */
export interface Device {
  catchUp(): void;
}

export class Selector {
  // Sketch: the ready list (a VecDeque<EpItem> from #kit/vec-deque), the registered items, the devices, how many
  // registered sources need Node's event loop, the waiting select (its events, resolve, timer) or null, closed.

  /** Set by `Waker` (one per selector). */
  hasWaker = false;

  /**
   * EPOLL_CTL_ADD: records an `EpItem` in `source.epitem`, counts `needsEventLoop` sources, remembers the
   * source's `device`, and queues the item if its level already intersects the interest. A source that already
   * has an `epitem` is `IoError.os("EEXIST")`; adding to a closed selector throws.
   */
  add(source: SysSource, token: Token, interests: Interest): void {
    todo("10-mio", "Selector.add");
  }

  /** EPOLL_CTL_MOD: new token and interest, then the same level check as `add`. Not registered here: ENOENT. */
  modify(source: SysSource, token: Token, interests: Interest): void {
    todo("10-mio", "Selector.modify");
  }

  /** EPOLL_CTL_DEL: the item is dead (skipped if queued), `source.epitem` becomes null. Not registered here: ENOENT. */
  remove(source: SysSource): void {
    todo("10-mio", "Selector.remove");
  }

  /** A registered source's readiness may have changed: remember the new level; queue the item if a bit of interest rose. */
  wakeup(item: EpItem): void {
    todo("10-mio", "Selector.wakeup");
  }

  /** True while a source fed by Node's event loop is registered. */
  get needsEventLoop(): boolean {
    return todo("10-mio", "Selector.needsEventLoop");
  }

  /**
   * Lets devices catch up, clears `events`, fills it from the ready list; returns a settled promise if it got
   * something, if `timeoutMs` is 0, or if closed; otherwise a promise that settles (after filling `events`) when
   * an item is queued or the timeout elapses. Throws if another `select` is waiting.
   */
  select(events: Events, timeoutMs: number | undefined): Promise<void> {
    return todo("10-mio", "Selector.select");
  }

  /** Closes every registered source and releases a waiting `select`. */
  close(): void {
    todo("10-mio", "Selector.close");
  }
}
