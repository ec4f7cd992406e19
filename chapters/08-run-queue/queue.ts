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
 * Given: the constants, the layout, `Stats`, `newQueueBuffer`, `local` and the constructors. Yours: the rest.
 */
import { todo } from "#kit/todo";
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

/** Joins the two halves of the head word, each taken modulo 2^16: `pack(1, 2) === 0x0001_0002`. */
export function pack(steal: number, real: number): number {
  return todo("08-run-queue", "pack");
}

/** The high half of a head word: the position the stealer at work started from (equal to `realHalf` when none is). */
export function stealHalf(head: number): number {
  return todo("08-run-queue", "stealHalf");
}

/** The low half of a head word: the position of the oldest task not yet claimed. */
export function realHalf(head: number): number {
  return todo("08-run-queue", "realHalf");
}

/** How many positions lie from `head` up to `tail`, modulo 2^16 (Rust's `tail.wrapping_sub(head)`). */
export function len(head: number, tail: number): number {
  return todo("08-run-queue", "len");
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
  // Yours to add: a batch array of 129 numbers that every overflow reuses (no allocation per overflow).

  constructor(readonly buffer: SharedArrayBuffer = newQueueBuffer()) {
    this.words = new Uint32Array(buffer, 0, QUEUE_WORDS);
  }

  /** Tasks in the queue: from `real` to `tail`. */
  len(): number {
    return todo("08-run-queue", "Local.len");
  }

  /** Free slots: 256 minus the positions from `steal` to `tail` (slots a stealer is still copying are not free). */
  remainingSlots(): number {
    return todo("08-run-queue", "Local.remainingSlots");
  }

  /** 256. */
  maxCapacity(): number {
    return todo("08-run-queue", "Local.maxCapacity");
  }

  /** True if `len() !== 0`. */
  hasTasks(): boolean {
    return todo("08-run-queue", "Local.hasTasks");
  }

  /**
   * Pushes `tasks[0..count)` at the back, in order, and publishes them with one store of the tail. They must all
   * fit (`count <= remainingSlots()`); otherwise throws an `Error` and pushes nothing (Tokio panics).
   */
  pushBack(tasks: ArrayLike<number>, count: number = tasks.length): void {
    return todo("08-run-queue", "Local.pushBack");
  }

  /**
   * Pushes one task at the back. When the queue is full (`tail - steal == 256`):
   * - if a stealer is at work (`steal != real`) it will free room soon: only `task` goes to `overflow.push`;
   * - otherwise claim every task with one compareExchange of the head from `pack(real, real)` to
   *   `pack(tail, tail)`, store `tail + 128` as the tail (positions tail..tail+127 map onto the slots of the
   *   oldest half, which stays), hand the newest 128 tasks and then `task` to `overflow.pushBatch` (129, oldest
   *   first), and count `stats.overflowCount++`. If the compareExchange fails, start the push over.
   */
  pushBackOrOverflow(task: number, overflow: Overflow, stats: Stats): void {
    return todo("08-run-queue", "Local.pushBackOrOverflow");
  }

  /**
   * Pops the oldest task, or returns undefined when `real == tail`. Claims it with a compareExchange of the head:
   * both halves move to `real + 1` when no stealer is at work, else only the real half. Reads the slot after the
   * claim succeeded; retries with the value the compareExchange found if it failed.
   */
  pop(): number | undefined {
    return todo("08-run-queue", "Local.pop");
  }
}

/** A handle other workers use to look at a queue and steal from it. Any thread may hold one. */
export class Steal {
  readonly words: Uint32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Uint32Array(buffer, 0, QUEUE_WORDS);
  }

  /** Tasks in the queue, read with atomic loads of the head and the tail. */
  len(): number {
    return todo("08-run-queue", "Steal.len");
  }

  isEmpty(): boolean {
    return todo("08-run-queue", "Steal.isEmpty");
  }

  /**
   * Steals half of this queue, rounded up (`n - floor(n / 2)`), into `dst`, the caller's own queue, and returns
   * the newest stolen task (to run at once); the others become visible in `dst` in their original order.
   * Returns undefined, taking nothing, when `dst` holds more than 128 counted from its steal half, when another
   * stealer is at work on this queue (`steal != real`), or when this queue is empty.
   * Steps: claim by moving only the real half (`pack(steal, real + n)`), copy the slots into `dst` past its tail
   * without publishing them, then set `steal = real` with a compareExchange loop; publish `n - 1` tasks by
   * storing `dst`'s tail. Counts `dstStats.stealCount += n` and `dstStats.stealOperations++`.
   */
  stealInto(dst: Local, dstStats: Stats): number | undefined {
    return todo("08-run-queue", "Steal.stealInto");
  }
}
