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
 *
 * Given: the list ids and the fields of `ListEntry`. Its waker is yours: a `RawWaker` whose data is the entry and
 * whose vtable moves it (chapter 03).
 */
import type { Context, Waker, WakerRef } from "#kata/03-waker";
import { LinkedList } from "./linked-list.ts";
import { todo } from "#kit/todo";

const IDLE = 0;
const NOTIFIED = 1;
const NEITHER = 2;

class Lists<T> {
  readonly idle = new LinkedList<ListEntry<T>>();
  readonly notified = new LinkedList<ListEntry<T>>();
  /** The set's waker: woken (and taken) when an idle entry is notified. */
  waker: Waker | null = null;
}

export class ListEntry<T> {
  prev: ListEntry<T> | null = null;
  next: ListEntry<T> | null = null;
  /** IDLE, NOTIFIED or NEITHER (removed). */
  list = IDLE;
  /** The context to poll the value with: its waker notifies this entry. Build it once, in the constructor. */
  readonly cx!: Context;

  constructor(
    readonly lists: Lists<T>,
    readonly value: T,
  ) {
    todo("17-broadcast-watch", "ListEntry.constructor");
  }
}

export class IdleNotifiedSet<T> {
  readonly #lists = new Lists<T>();

  len(): number {
    return todo("17-broadcast-watch", "IdleNotifiedSet.len");
  }

  isEmpty(): boolean {
    return todo("17-broadcast-watch", "IdleNotifiedSet.isEmpty");
  }

  insertIdle(value: T): ListEntry<T> {
    return todo("17-broadcast-watch", "IdleNotifiedSet.insertIdle");
  }

  /** Registers `waker` to be woken when an entry is notified; takes the oldest notified entry (now idle again). */
  popNotified(waker: WakerRef): ListEntry<T> | null {
    return todo("17-broadcast-watch", "IdleNotifiedSet.popNotified");
  }

  /** Like `popNotified`, without registering a waker. */
  tryPopNotified(): ListEntry<T> | null {
    return todo("17-broadcast-watch", "IdleNotifiedSet.tryPopNotified");
  }

  /** Takes `entry` out of the set and returns its value. */
  remove(entry: ListEntry<T>): T {
    return todo("17-broadcast-watch", "IdleNotifiedSet.remove");
  }

  /** Calls `f` on every value. */
  forEach(f: (value: T) => void): void {
    todo("17-broadcast-watch", "IdleNotifiedSet.forEach");
  }

  /** Empties the set (every entry unlinked first), then calls `f` on every value. */
  drain(f: (value: T) => void): void {
    todo("17-broadcast-watch", "IdleNotifiedSet.drain");
  }
}
