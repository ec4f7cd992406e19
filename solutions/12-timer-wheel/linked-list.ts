/**
 * `LinkedList` (Tokio's `util/linked_list.rs`): an intrusive doubly-linked list of timer entries.
 *
 * The links live in the entries themselves (`prev`, `next`), so pushing and unlinking allocate nothing and cost
 * O(1), and an entry can be removed knowing only the entry. The wheel keeps one list per slot plus its pending
 * list; entries go in at the front and come out at the back, so each list is first in, first out.
 *
 * Invariants: `head.prev` and `tail.next` are null; an entry is in at most one list at a time, and an entry in
 * no list has both links null.
 */
import type { TimerShared } from "./entry.ts";

export class LinkedList {
  head: TimerShared | null = null;
  tail: TimerShared | null = null;

  isEmpty(): boolean {
    return this.head === null;
  }

  pushFront(entry: TimerShared): void {
    entry.prev = null;
    entry.next = this.head;
    if (this.head !== null) this.head.prev = entry;
    else this.tail = entry;
    this.head = entry;
  }

  /** Unlinks and returns the oldest entry, or null when the list is empty. */
  popBack(): TimerShared | null {
    const entry = this.tail;
    if (entry === null) return null;
    this.tail = entry.prev;
    if (this.tail !== null) this.tail.next = null;
    else this.head = null;
    entry.prev = null;
    return entry;
  }

  /** Unlinks `entry` in O(1); false (and nothing changed) when it is not in this list. */
  remove(entry: TimerShared): boolean {
    const { prev, next } = entry;
    if (prev === null ? this.head !== entry : prev.next !== entry) return false;
    if (next === null ? this.tail !== entry : next.prev !== entry) return false;
    if (prev !== null) prev.next = next;
    else this.head = next;
    if (next !== null) next.prev = prev;
    else this.tail = prev;
    entry.prev = null;
    entry.next = null;
    return true;
  }

  /** Moves every entry into a new list and leaves this one empty (Rust's `std::mem::take`). */
  take(): LinkedList {
    const out = new LinkedList();
    out.head = this.head;
    out.tail = this.tail;
    this.head = null;
    this.tail = null;
    return out;
  }
}
