/**
 * A self-referential future: the state machine of
 *
 *     async fn read_later(data: [u32; N], index: usize) -> u32 {
 *         let ptr = &data[index];   // a pointer into the future's own state
 *         yield_now().await;        // suspension point 0: `data` and `ptr` are both kept across it
 *         *ptr
 *     }
 *
 * laid out in simulated memory as words: `[state, index, ptr, data...]`. The state numbers are rustc's:
 * `UNRESUMED` (created, never polled), `RETURNED`, `POISONED` (a poll panicked), then one per suspension point
 * (`SUSPEND0`). The argument `data` lives inside the future from the start; `ptr` is written by the first poll
 * and holds the address of `data[index]` in the future itself. Move the future after that, and `ptr` points into
 * the old place: the second poll reads through it and the memory reports the use after move.
 *
 * Invariants: creating or moving an unpolled `ReadLater` is harmless (no pointer yet); the first poll points `ptr`
 * into the future at the address it is polled at, wakes the task by reference and returns `Pending`; the second
 * poll reads `*ptr` and completes with it. A poll that throws leaves the future `POISONED`.
 */
import type { Context } from "#kata/03-waker";
import type { Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { Memory, Word } from "./memory.ts";
import type { PhantomPinned, Pin } from "./pin.ts";
import type { Ref } from "./ref.ts";

/** The type-level layout of the state machine. It may point into itself, so it is `!Unpin`. */
export interface ReadLater {
  readonly state: Word;
  readonly index: Word;
  /** an address: the pointer into `data` */
  readonly ptr: Word;
  readonly data: readonly Word[];
  readonly pinned: PhantomPinned;
}

// Word offsets of the fields: STATE = 0, INDEX = 1, PTR = 2, DATA = 3.
// rustc's coroutine states: UNRESUMED = 0, RETURNED = 1, POISONED = 2, SUSPEND0 = 3.

/** The words of an unresumed `read_later(data, index)`. Throws a `RangeError` if `index` is not in `data`. */
export function readLaterWords(data: readonly Word[], index: number): Word[] {
  return todo("05-pin", "readLaterWords");
}

/** Calls `read_later(data, index)`: places the unresumed future in memory. Nothing runs. */
export function readLater(memory: Memory, data: readonly Word[], index: number): Ref<ReadLater> {
  return todo("05-pin", "readLater");
}

/**
 * One poll of the state machine, through a pinned pointer, as Rust's `Future::poll(self: Pin<&mut Self>, cx)`.
 * UNRESUMED: write ptr, go to SUSPEND0, wake by reference, `Pending`. SUSPEND0: go to POISONED, read `*ptr`, go to
 * RETURNED, return the value. RETURNED: throw "`async fn` resumed after completion". POISONED: throw
 * "`async fn` resumed after panicking".
 */
export function pollReadLater(self: Pin<Ref<ReadLater>>, cx: Context): Poll<Word> {
  return todo("05-pin", "pollReadLater");
}
