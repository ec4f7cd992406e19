/**
 * The local run queue (Tokio's `runtime/scheduler/multi_thread/queue.rs`): a ring of 256 task indices that one
 * worker (the owner) pushes and pops, and that every other worker may steal half of.
 *
 * The whole queue lives in one SharedArrayBuffer, so real threads can share it:
 *
 *     word 0  head = steal << 16 | real    (u16 halves, updated with compareExchange)
 *     word 1  tail                         (u16, written only by the owner)
 *     word 2 + (position & 255)            the slots: u32 task indices
 *
 * Positions are u16 counters that wrap (all arithmetic is `& 0xffff`); a position's slot is `position & MASK`.
 * The tasks are the positions from `real` up to `tail`. `steal == real` means no stealer is at work; while one
 * is, the positions from `steal` up to `real` are being copied out and may not be overwritten, so the owner
 * counts free room from `steal`, not from `real`.
 *
 * Invariants:
 * - only the owner writes `tail` and the slots in `[tail, steal + 256)`; it publishes a slot by storing `tail`;
 * - a consumer claims positions by moving `real` with a compareExchange on the whole head word, before it reads
 *   their slots; at most one stealer works on a queue at a time (it must find `steal == real` to start);
 * - `tail - steal <= 256` always: full and empty are told apart because indices are wider than the ring.
 *
 * Tokio packs the head as two u32 halves in an AtomicU64 where 64-bit atomics exist and as two u16 halves in an
 * AtomicU32 otherwise. We take the u16 layout: it fits an Int32Array/Uint32Array word that `Atomics` handles
 * with plain numbers, where a BigInt64Array would allocate a BigInt on every load. The price is ABA resilience: a
 * stealer that stalls while 65,536 positions go by could be fooled, the same risk Tokio accepts on 32-bit targets.
 */
import type { Overflow } from "./overflow.ts";

export const LOCAL_QUEUE_CAPACITY = 256;
export const MASK = LOCAL_QUEUE_CAPACITY - 1;
/** How many tasks an overflow takes out of a full queue (the new task goes with them: 129 in all). */
export const NUM_TASKS_TAKEN = LOCAL_QUEUE_CAPACITY / 2;

/** Word offsets in the queue's buffer. */
export const HEAD = 0;
export const TAIL = 1;
export const BUFFER = 2;
export const QUEUE_WORDS = BUFFER + LOCAL_QUEUE_CAPACITY;
export const QUEUE_BYTES = QUEUE_WORDS * Uint32Array.BYTES_PER_ELEMENT;

const U16 = 0xffff;

/** The counters a queue updates (a chapter 07 `WorkerMetrics` is one). */
export interface Stats {
  /** Tasks stolen into this worker's queue. */
  stealCount: number;
  /** Successful `stealInto` calls that filled this worker's queue. */
  stealOperations: number;
  /** Times this worker's queue moved half of itself to the overflow. */
  overflowCount: number;
}

/** A fresh queue's memory: head, tail and slots all zero. */
export function newQueueBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(QUEUE_BYTES);
}

/** Joins the two halves of the head word (each taken modulo 2^16). */
export function pack(steal: number, real: number): number {
  return (((steal & U16) << 16) | (real & U16)) >>> 0;
}

/** The position the stealer at work started from (equal to `realHalf` when none is). */
export function stealHalf(head: number): number {
  return head >>> 16;
}

/** The position of the oldest task not yet claimed. */
export function realHalf(head: number): number {
  return head & U16;
}

/** How many positions lie from `head` up to `tail`, modulo 2^16 (`tail.wrapping_sub(head)`). */
export function len(head: number, tail: number): number {
  return (tail - head) & U16;
}

/** Creates a queue: the handle to steal from it, and the owner's handle (Tokio's `queue::local`). */
export function local(): [Steal, Local] {
  const buffer = newQueueBuffer();
  return [new Steal(buffer), new Local(buffer)];
}

/** The owner's handle: push and pop. Exactly one `Local` may exist per buffer, used by one thread. */
export class Local {
  /** The queue's words (head, tail, slots), shared with every `Steal` on the same buffer. */
  readonly words: Uint32Array;
  /** The batch lent to `Overflow.pushBatch`, reused by every overflow. */
  readonly #batch: number[] = new Array<number>(NUM_TASKS_TAKEN + 1).fill(0);

  constructor(readonly buffer: SharedArrayBuffer = newQueueBuffer()) {
    this.words = new Uint32Array(buffer, 0, QUEUE_WORDS);
  }

  /** Tasks in the queue: from `real` to `tail`. */
  len(): number {
    return len(realHalf(Atomics.load(this.words, HEAD)), this.words[TAIL]!);
  }

  /** Free slots: counted from `steal`, since the slots a stealer is copying are not free yet. */
  remainingSlots(): number {
    return LOCAL_QUEUE_CAPACITY - len(stealHalf(Atomics.load(this.words, HEAD)), this.words[TAIL]!);
  }

  maxCapacity(): number {
    return LOCAL_QUEUE_CAPACITY;
  }

  hasTasks(): boolean {
    return this.len() !== 0;
  }

  /** Pushes `tasks[0..count)` at the back, in order; they must all fit (else throws, as Tokio panics). */
  pushBack(tasks: ArrayLike<number>, count: number = tasks.length): void {
    if (count === 0) return;
    const w = this.words;
    const steal = stealHalf(Atomics.load(w, HEAD));
    let tail = w[TAIL]!;
    if (len(steal, tail) > LOCAL_QUEUE_CAPACITY - count) {
      throw new Error(`pushBack: ${count} tasks do not fit, ${LOCAL_QUEUE_CAPACITY - len(steal, tail)} slots are free`);
    }
    for (let i = 0; i < count; i++) {
      w[BUFFER + (tail & MASK)] = tasks[i]!;
      tail = (tail + 1) & U16;
    }
    Atomics.store(w, TAIL, tail);
  }

  /**
   * Pushes one task at the back. When the queue is full, either a stealer is at work (it will free room soon:
   * only `task` goes to the overflow) or the newest half of the queue and `task` go to the overflow together.
   */
  pushBackOrOverflow(task: number, overflow: Overflow, stats: Stats): void {
    const w = this.words;
    for (;;) {
      const head = Atomics.load(w, HEAD);
      const steal = stealHalf(head);
      const real = realHalf(head);
      const tail = w[TAIL]!;
      if (len(steal, tail) < LOCAL_QUEUE_CAPACITY) {
        w[BUFFER + (tail & MASK)] = task;
        Atomics.store(w, TAIL, (tail + 1) & U16);
        return;
      }
      if (steal !== real) {
        overflow.push(task);
        return;
      }
      if (this.#pushOverflow(task, real, tail, overflow, stats)) return;
      // A consumer moved the head meanwhile: the queue may have room now.
    }
  }

  /**
   * Claims every task with one compareExchange (head := tail), gives the oldest half back by moving the tail
   * 128 positions on (those positions map onto the oldest tasks' slots), then hands the newest half and `task`
   * to the overflow. False if the head moved before the claim.
   */
  #pushOverflow(task: number, head: number, tail: number, overflow: Overflow, stats: Stats): boolean {
    if (len(head, tail) !== LOCAL_QUEUE_CAPACITY) {
      throw new Error(`queue is not full; tail = ${tail}; head = ${head}`);
    }
    const w = this.words;
    const claimed = pack(head, head);
    if (Atomics.compareExchange(w, HEAD, claimed, pack(tail, tail)) !== claimed) return false;
    Atomics.store(w, TAIL, (tail + NUM_TASKS_TAKEN) & U16);
    const batch = this.#batch;
    for (let i = 0; i < NUM_TASKS_TAKEN; i++) batch[i] = w[BUFFER + ((head + NUM_TASKS_TAKEN + i) & MASK)]!;
    batch[NUM_TASKS_TAKEN] = task;
    overflow.pushBatch(batch);
    stats.overflowCount++;
    return true;
  }

  /** Pops the oldest task: moves `real` (and `steal` with it when no stealer is at work). */
  pop(): number | undefined {
    const w = this.words;
    let head = Atomics.load(w, HEAD);
    for (;;) {
      const steal = stealHalf(head);
      const real = realHalf(head);
      if (real === w[TAIL]!) return undefined;
      const nextReal = (real + 1) & U16;
      const next = steal === real ? pack(nextReal, nextReal) : pack(steal, nextReal);
      const actual = Atomics.compareExchange(w, HEAD, head, next);
      if (actual === head) return w[BUFFER + (real & MASK)]!;
      head = actual;
    }
  }
}

/** A handle other workers use to look at a queue and steal from it. Any thread may hold one. */
export class Steal {
  readonly words: Uint32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Uint32Array(buffer, 0, QUEUE_WORDS);
  }

  len(): number {
    return len(realHalf(Atomics.load(this.words, HEAD)), Atomics.load(this.words, TAIL));
  }

  isEmpty(): boolean {
    return this.len() === 0;
  }

  /**
   * Steals half of this queue (rounded up) into `dst`, the caller's own queue, and returns one of the stolen
   * tasks to run at once (the newest of them); the others become visible in `dst`. Gives up (undefined) when `dst`
   * holds more than half its capacity, or when another stealer is at work on this queue, or it is empty.
   */
  stealInto(dst: Local, dstStats: Stats): number | undefined {
    const dw = dst.words;
    const dstTail = dw[TAIL]!;
    // dst may look empty to its owner while a stealer still copies out of it: count from its steal half.
    if (len(stealHalf(Atomics.load(dw, HEAD)), dstTail) > LOCAL_QUEUE_CAPACITY / 2) return undefined;
    let n = this.#stealInto2(dw, dstTail);
    if (n === 0) return undefined;
    dstStats.stealCount += n;
    dstStats.stealOperations++;
    n -= 1;
    const ret = dw[BUFFER + ((dstTail + n) & MASK)]!;
    if (n > 0) Atomics.store(dw, TAIL, (dstTail + n) & U16);
    return ret;
  }

  /** Claims half by moving `real`, copies the slots into `dst` (unpublished), then sets `steal = real`. */
  #stealInto2(dw: Uint32Array, dstTail: number): number {
    const w = this.words;
    let prev = Atomics.load(w, HEAD);
    let next: number;
    let n: number;
    for (;;) {
      const steal = stealHalf(prev);
      const real = realHalf(prev);
      if (steal !== real) return 0;
      const available = len(real, Atomics.load(w, TAIL));
      n = available - (available >>> 1);
      if (n === 0) return 0;
      next = pack(steal, real + n);
      const actual = Atomics.compareExchange(w, HEAD, prev, next);
      if (actual === prev) break;
      prev = actual;
    }
    if (n > LOCAL_QUEUE_CAPACITY / 2) throw new Error(`stole more than half the queue: ${n}`);
    const first = stealHalf(next);
    for (let i = 0; i < n; i++) dw[BUFFER + ((dstTail + i) & MASK)] = w[BUFFER + ((first + i) & MASK)]!;
    prev = next;
    for (;;) {
      const real = realHalf(prev);
      const actual = Atomics.compareExchange(w, HEAD, prev, pack(real, real));
      if (actual === prev) return n;
      prev = actual;
    }
  }
}
