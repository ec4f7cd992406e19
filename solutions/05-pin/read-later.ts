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
import { Pending, type Poll } from "#kata/01-poll";
import type { Memory, Word } from "./memory.ts";
import type { PhantomPinned, Pin } from "./pin.ts";
import { Ref } from "./ref.ts";

/** The type-level layout of the state machine. It may point into itself, so it is `!Unpin`. */
export interface ReadLater {
  readonly state: Word;
  readonly index: Word;
  /** an address: the pointer into `data` */
  readonly ptr: Word;
  readonly data: readonly Word[];
  readonly pinned: PhantomPinned;
}

/** Word offsets of the fields. */
const STATE = 0;
const INDEX = 1;
const PTR = 2;
const DATA = 3;

/** rustc's coroutine states. */
const UNRESUMED = 0;
const RETURNED = 1;
const POISONED = 2;
const SUSPEND0 = 3;

/** The words of an unresumed `read_later(data, index)`. Throws a `RangeError` if `index` is not in `data`. */
export function readLaterWords(data: readonly Word[], index: number): Word[] {
  if (!Number.isInteger(index) || index < 0 || index >= data.length) {
    throw new RangeError(`index ${index} is out of bounds for ${data.length} words of data`);
  }
  return [UNRESUMED, index, 0, ...data];
}

/** Calls `read_later(data, index)`: places the unresumed future in memory. Nothing runs. */
export function readLater(memory: Memory, data: readonly Word[], index: number): Ref<ReadLater> {
  return Ref.alloc<ReadLater>(memory, readLaterWords(data, index));
}

/** One poll of the state machine, through a pinned pointer, as Rust's `Future::poll(self: Pin<&mut Self>, cx)`. */
export function pollReadLater(self: Pin<Ref<ReadLater>>, cx: Context): Poll<Word> {
  const me = self.getUncheckedMut(); // we never move ourselves
  switch (me.read(STATE)) {
    case UNRESUMED:
      me.write(PTR, me.address + DATA + me.read(INDEX)); // let ptr = &data[index];
      me.write(STATE, SUSPEND0);
      cx.waker.wakeByRef(); // yield_now(): pending once, asking to be polled again
      return Pending;
    case SUSPEND0: {
      me.write(STATE, POISONED); // if reading through ptr fails, the future is poisoned
      const value = me.memory.read(me.read(PTR)); // *ptr
      me.write(STATE, RETURNED);
      return value;
    }
    case RETURNED:
      throw new Error("`async fn` resumed after completion");
    default:
      throw new Error("`async fn` resumed after panicking");
  }
}
