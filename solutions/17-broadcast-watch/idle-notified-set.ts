/**
 * `IdleNotifiedSet` (Tokio's `util/idle_notified_set.rs`): a set of values, each on one of two lists, with a waker
 * per entry that moves it from `idle` to `notified`.
 *
 *     idle:      [e3] [e1]            an entry's waker fires ─┐
 *     notified:  [e2]          ◀───────────────────────────────┘  (and the set's own waker is woken)
 *
 * `JoinSet` keeps its `JoinHandle`s here: each handle is polled with its entry's waker, so when a task completes
 * its entry moves to `notified`, and `popNotified` hands out entries in the order they were woken: completion order.
 *
 * - `insertIdle(v)`: a new entry on the idle list. `popNotified(waker)` stores `waker` as the set's waker (unless
 *   it wakes the same task), moves the oldest notified entry back to idle and returns it (null if none).
 * - An entry's waker (`entry.cx.waker`): if the entry is idle, move it to notified and wake the set's waker
 *   (which is taken: one wake per registration). Waking a notified or removed entry does nothing.
 * - `remove(entry)` takes it out for good and returns its value; `drain(f)` empties the set, calling `f` on each.
 *
 * Invariants: `len()` counts the entries on both lists; an entry is on exactly one list until removed; the
 * notified list is in wake order (pushed at the front, popped at the back).
 */
import { Context, RawWaker, Waker, type RawWakerVTable, type WakerRef } from "#kata/03-waker";
import { LinkedList } from "./linked-list.ts";

const IDLE = 0;
const NOTIFIED = 1;
const NEITHER = 2;

class Lists<T> {
  readonly idle = new LinkedList<ListEntry<T>>();
  readonly notified = new LinkedList<ListEntry<T>>();
  waker: Waker | null = null;
}

export class ListEntry<T> {
  prev: ListEntry<T> | null = null;
  next: ListEntry<T> | null = null;
  list = IDLE;
  /** The context to poll the value with: its waker notifies this entry. */
  readonly cx: Context;

  constructor(
    readonly lists: Lists<T>,
    readonly value: T,
  ) {
    this.cx = new Context(Waker.fromRaw(new RawWaker(this, ENTRY_WAKER_VTABLE)));
  }
}

function wakeEntry(entry: ListEntry<unknown>): void {
  if (entry.list !== IDLE) return;
  const lists = entry.lists;
  lists.idle.remove(entry);
  entry.list = NOTIFIED;
  lists.notified.pushFront(entry);
  const w = lists.waker;
  lists.waker = null;
  w?.wake();
}

// The entry holds no count of its wakers: the garbage collector keeps it alive as long as a waker refers to it.
const ENTRY_WAKER_VTABLE: RawWakerVTable = {
  clone: (data) => new RawWaker(data, ENTRY_WAKER_VTABLE),
  wake: (data) => wakeEntry(data as ListEntry<unknown>),
  wakeByRef: (data) => wakeEntry(data as ListEntry<unknown>),
  drop: () => {},
};

export class IdleNotifiedSet<T> {
  readonly #lists = new Lists<T>();
  #length = 0;

  len(): number {
    return this.#length;
  }

  isEmpty(): boolean {
    return this.#length === 0;
  }

  insertIdle(value: T): ListEntry<T> {
    this.#length++;
    const entry = new ListEntry(this.#lists, value);
    this.#lists.idle.pushFront(entry);
    return entry;
  }

  /** Registers `waker` to be woken when an entry is notified; takes the oldest notified entry (now idle again). */
  popNotified(waker: WakerRef): ListEntry<T> | null {
    if (this.#length === 0) return null;
    const lists = this.#lists;
    if (lists.waker === null || !lists.waker.willWake(waker)) {
      const old = lists.waker;
      lists.waker = waker.clone();
      old?.drop();
    }
    return this.tryPopNotified();
  }

  /** Like `popNotified`, without registering a waker. */
  tryPopNotified(): ListEntry<T> | null {
    const lists = this.#lists;
    const entry = lists.notified.popBack();
    if (entry === null) return null;
    entry.list = IDLE;
    lists.idle.pushFront(entry);
    return entry;
  }

  /** Takes `entry` out of the set and returns its value. */
  remove(entry: ListEntry<T>): T {
    if (entry.list === NEITHER) throw new Error("entry removed twice");
    (entry.list === IDLE ? this.#lists.idle : this.#lists.notified).remove(entry);
    entry.list = NEITHER;
    this.#length--;
    return entry.value;
  }

  /** Calls `f` on every value (idle ones first, oldest first in each list). */
  forEach(f: (value: T) => void): void {
    const values: T[] = [];
    for (const list of [this.#lists.idle, this.#lists.notified]) {
      for (let e = list.last(); e !== null; e = e.prev) values.push(e.value);
    }
    for (const v of values) f(v);
  }

  /** Empties the set, calling `f` on every value. */
  drain(f: (value: T) => void): void {
    if (this.#length === 0) return;
    this.#length = 0;
    const all: ListEntry<T>[] = [];
    for (const list of [this.#lists.idle, this.#lists.notified]) {
      for (let e = list.popBack(); e !== null; e = list.popBack()) {
        e.list = NEITHER;
        all.push(e);
      }
    }
    for (const e of all) f(e.value);
  }
}
