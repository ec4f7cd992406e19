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
 */
import { VecDeque } from "#kit/vec-deque";
import { interestMask } from "./epoll.ts";
import type { Events } from "./event.ts";
import { IoError } from "./io-error.ts";
import type { Interest } from "./interest.ts";
import type { SysSource } from "./source.ts";
import type { Token } from "./token.ts";

/** The selector's record of one registered source. */
export class EpItem {
  /** The last level the selector saw, to detect rising bits. */
  last = 0;
  queued = false;
  live = true;

  constructor(
    readonly selector: Selector,
    readonly source: SysSource,
    public token: Token,
    public mask: number,
  ) {}
}

/** Something that makes sources ready as its own clock advances (a simulated network). */
export interface Device {
  catchUp(): void;
}

interface Waiting {
  events: Events;
  resolve: () => void;
  timer: ReturnType<typeof setTimeout> | null;
  immediate: ReturnType<typeof setImmediate> | null;
}

const RESOLVED: Promise<void> = Promise.resolve();

export class Selector {
  readonly #ready = new VecDeque<EpItem>(64);
  readonly #items = new Set<EpItem>();
  readonly #devices = new Set<Device>();
  #eventLoopSources = 0;
  #waiting: Waiting | null = null;
  #closed = false;
  hasWaker = false;

  /** EPOLL_CTL_ADD. */
  add(source: SysSource, token: Token, interests: Interest): void {
    if (this.#closed) throw new Error("this Poll has been closed");
    if (source.epitem !== null) throw IoError.os("EEXIST");
    const item = new EpItem(this, source, token, interestMask(interests));
    source.epitem = item;
    this.#items.add(item);
    if (source.needsEventLoop) this.#eventLoopSources++;
    if (source.device !== null) this.#devices.add(source.device);
    this.#arm(item);
  }

  /** EPOLL_CTL_MOD. */
  modify(source: SysSource, token: Token, interests: Interest): void {
    const item = this.#itemOf(source);
    item.token = token;
    item.mask = interestMask(interests);
    this.#arm(item);
  }

  /** EPOLL_CTL_DEL. */
  remove(source: SysSource): void {
    const item = this.#itemOf(source);
    item.live = false;
    source.epitem = null;
    this.#items.delete(item);
    if (source.needsEventLoop) this.#eventLoopSources--;
  }

  /** A registered source's readiness may have changed: queue it if a bit of interest rose. */
  wakeup(item: EpItem): void {
    const level = item.source.readiness();
    const rose = level & ~item.last;
    item.last = level;
    if ((rose & item.mask) !== 0) this.#enqueue(item);
  }

  /** True while a source fed by Node's event loop is registered. */
  get needsEventLoop(): boolean {
    return this.#eventLoopSources > 0;
  }

  select(events: Events, timeoutMs: number | undefined): Promise<void> {
    if (this.#waiting !== null) throw new Error("Poll.poll called while another call to poll is still waiting");
    for (const d of this.#devices) d.catchUp();
    events.clear();
    this.#fill(events);
    if (!events.isEmpty() || timeoutMs === 0 || this.#closed) return RESOLVED;
    return new Promise<void>((resolve) => {
      const waiting: Waiting = { events, resolve, timer: null, immediate: null };
      if (timeoutMs !== undefined) waiting.timer = setTimeout(() => this.#release(), Math.ceil(timeoutMs));
      this.#waiting = waiting;
    });
  }

  /** Closes every registered source and releases a waiting `select`. */
  close(): void {
    this.#closed = true;
    for (const item of [...this.#items]) item.source.close();
    this.#ready.clear();
    this.#release();
  }

  #itemOf(source: SysSource): EpItem {
    const item = source.epitem;
    if (item === null || item.selector !== this) throw IoError.os("ENOENT");
    return item;
  }

  /** Reads the level afresh and queues the item if it intersects the interest (add, modify). */
  #arm(item: EpItem): void {
    item.last = item.source.readiness();
    if ((item.last & item.mask) !== 0) this.#enqueue(item);
  }

  #enqueue(item: EpItem): void {
    if (!item.queued) {
      item.queued = true;
      this.#ready.pushBack(item);
    }
    const w = this.#waiting;
    if (w === null) return;
    if (!item.source.needsEventLoop) this.#release();
    else if (w.immediate === null) w.immediate = setImmediate(this.#releaseBound);
  }

  readonly #releaseBound = (): void => this.#release();

  #fill(events: Events): void {
    while (!events.isFull()) {
      const item = this.#ready.popFront();
      if (item === undefined) return;
      item.queued = false;
      if (!item.live) continue;
      const bits = item.source.readiness() & item.mask;
      if (bits === 0) continue;
      events.push(item.token, bits);
      item.source.collected();
    }
  }

  /** Ends a waiting `select`: collect what is ready into its events and settle it. */
  #release(): void {
    const w = this.#waiting;
    if (w === null) return;
    this.#waiting = null;
    if (w.timer !== null) clearTimeout(w.timer);
    if (w.immediate !== null) clearImmediate(w.immediate);
    for (const d of this.#devices) d.catchUp();
    this.#fill(w.events);
    w.resolve();
  }
}
