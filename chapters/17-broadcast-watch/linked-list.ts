/**
 * `LinkedList` (Tokio's `util/linked_list.rs`): an intrusive doubly-linked list of waiters.
 *
 * Given code, not an exercise. The links live in the nodes themselves (`prev`, `next`), so a waiting future is
 * its own list node: queueing it allocates nothing, and it can unlink itself in O(1) when it is dropped. Every
 * waiter list of chapters 16 and 17 is one of these: `Notify`'s, broadcast's, `JoinSet`'s, and the batch
 * semaphore's (chapter 16 imports it from here, with `Notify`, so that 17 never imports 16: no import cycle).
 *
 * Tokio pushes at the front and pops at the back, so the back is the oldest node: a list used that way is first
 * in, first out, and `popFront` takes the newest (`notifyLast`).
 *
 * Invariants: `head.prev` and `tail.next` are null; a node is in at most one list at a time; a node in no list
 * has both links null (so `remove` of a node that is not in this list changes nothing and returns false).
 */

/** What a node must carry: its two links, which belong to the list it is in. */
export interface Linked<N> {
  prev: N | null;
  next: N | null;
}

export class LinkedList<N extends Linked<N>> {
  head: N | null = null;
  tail: N | null = null;

  isEmpty(): boolean {
    return this.head === null;
  }

  /** The oldest node (the next `popBack`), without unlinking it. */
  last(): N | null {
    return this.tail;
  }

  pushFront(node: N): void {
    node.prev = null;
    node.next = this.head;
    if (this.head !== null) this.head.prev = node;
    else this.tail = node;
    this.head = node;
  }

  /** Unlinks and returns the oldest node, or null when the list is empty. */
  popBack(): N | null {
    const node = this.tail;
    if (node === null) return null;
    this.tail = node.prev;
    if (this.tail !== null) this.tail.next = null;
    else this.head = null;
    node.prev = null;
    return node;
  }

  /** Unlinks and returns the newest node, or null when the list is empty. */
  popFront(): N | null {
    const node = this.head;
    if (node === null) return null;
    this.head = node.next;
    if (this.head !== null) this.head.prev = null;
    else this.tail = null;
    node.next = null;
    return node;
  }

  /** Unlinks `node` in O(1); false (and nothing changed) when it is not in this list. */
  remove(node: N): boolean {
    const { prev, next } = node;
    if (prev === null ? this.head !== node : prev.next !== node) return false;
    if (next === null ? this.tail !== node : next.prev !== node) return false;
    if (prev !== null) prev.next = next;
    else this.head = next;
    if (next !== null) next.prev = prev;
    else this.tail = prev;
    node.prev = null;
    node.next = null;
    return true;
  }

  /** Moves every node into a new list and leaves this one empty (Rust's `std::mem::take`). */
  take(): LinkedList<N> {
    const out = new LinkedList<N>();
    out.head = this.head;
    out.tail = this.tail;
    this.head = null;
    this.tail = null;
    return out;
  }
}
