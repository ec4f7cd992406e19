/**
 * `LinkedList` (Tokio's `util/linked_list.rs`): an intrusive doubly-linked list of timer entries.
 *
 * The links live in the entries themselves (`prev`, `next`), so pushing and unlinking allocate nothing and cost
 * O(1), and an entry can be removed knowing only the entry. The wheel keeps one list per slot plus its pending
 * list; entries go in at the front and come out at the back, so each list is first in, first out.
 *
 * Invariants: `head.prev` and `tail.next` are null; an entry is in at most one list at a time, and an entry in
 * no list has both links null.
 *
 * Task 2 of the lesson.
 */
import { todo } from "#kit/todo";
import type { TimerShared } from "./entry.ts";

export class LinkedList {
  head: TimerShared | null = null;
  tail: TimerShared | null = null;

  isEmpty(): boolean {
    return todo("12-timer-wheel", "LinkedList.isEmpty");
  }

  pushFront(entry: TimerShared): void {
    todo("12-timer-wheel", "LinkedList.pushFront");
  }

  /** Unlinks and returns the oldest entry, or null when the list is empty. */
  popBack(): TimerShared | null {
    return todo("12-timer-wheel", "LinkedList.popBack");
  }

  /** Unlinks `entry` in O(1); false (and nothing changed) when it is not in this list. */
  remove(entry: TimerShared): boolean {
    return todo("12-timer-wheel", "LinkedList.remove");
  }

  /** Moves every entry into a new list and leaves this one empty (Rust's `std::mem::take`). */
  take(): LinkedList {
    return todo("12-timer-wheel", "LinkedList.take");
  }
}
