/**
 * `VecDeque<T>`: a growable ring buffer, what Rust's `std::collections::VecDeque` is to Tokio.
 *
 * Given code, not an exercise. `push`/`pop` at both ends are O(1) amortised (a JavaScript array's `shift` is
 * O(n)). The capacity is a power of two and doubles when full; slots are cleared when vacated so the garbage
 * collector can free what they held.
 */
export class VecDeque<T> {
  #buf: (T | undefined)[];
  #mask: number;
  #head = 0;
  #len = 0;

  constructor(capacity = 16) {
    let cap = 4;
    while (cap < capacity) cap *= 2;
    this.#buf = new Array<T | undefined>(cap);
    this.#mask = cap - 1;
  }

  get length(): number {
    return this.#len;
  }

  isEmpty(): boolean {
    return this.#len === 0;
  }

  pushBack(value: T): void {
    if (this.#len === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#len) & this.#mask] = value;
    this.#len++;
  }

  pushFront(value: T): void {
    if (this.#len === this.#buf.length) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#buf[this.#head] = value;
    this.#len++;
  }

  popFront(): T | undefined {
    if (this.#len === 0) return undefined;
    const value = this.#buf[this.#head];
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#len--;
    return value;
  }

  popBack(): T | undefined {
    if (this.#len === 0) return undefined;
    const i = (this.#head + this.#len - 1) & this.#mask;
    const value = this.#buf[i];
    this.#buf[i] = undefined;
    this.#len--;
    return value;
  }

  peekFront(): T | undefined {
    return this.#len === 0 ? undefined : this.#buf[this.#head];
  }

  peekBack(): T | undefined {
    return this.#len === 0 ? undefined : this.#buf[(this.#head + this.#len - 1) & this.#mask];
  }

  /** The element `i` places from the front, or undefined. */
  at(i: number): T | undefined {
    return i >= 0 && i < this.#len ? this.#buf[(this.#head + i) & this.#mask] : undefined;
  }

  /** Removes every element for which `keep` returns false, preserving order; returns how many were removed. */
  retain(keep: (value: T) => boolean): number {
    const n = this.#len;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const v = this.#buf[(this.#head + i) & this.#mask] as T;
      if (keep(v)) this.#buf[(this.#head + kept++) & this.#mask] = v;
    }
    for (let i = kept; i < n; i++) this.#buf[(this.#head + i) & this.#mask] = undefined;
    this.#len = kept;
    return n - kept;
  }

  clear(): void {
    while (this.#len > 0) this.popFront();
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.#len; i++) yield this.#buf[(this.#head + i) & this.#mask] as T;
  }

  #grow(): void {
    const old = this.#buf;
    const cap = old.length;
    const next = new Array<T | undefined>(cap * 2);
    for (let i = 0; i < this.#len; i++) next[i] = old[(this.#head + i) & this.#mask];
    this.#buf = next;
    this.#mask = cap * 2 - 1;
    this.#head = 0;
  }
}
