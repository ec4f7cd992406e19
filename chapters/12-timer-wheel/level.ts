/**
 * `Level` (Tokio's `runtime/time/wheel/level.rs`): one ring of 64 slots of the timer wheel.
 *
 * Level `l` has slots `64^l` ms wide and spans `64^(l+1)` ms: slot `s` holds the entries whose deadline, divided
 * by the slot width, is `s` modulo 64. A 64-bit occupancy word has bit `s` set exactly when slot `s` is non-empty,
 * so the next occupied slot is found without scanning: rotate the word right by the slot of `now` and count the
 * trailing zeros.
 *
 * JavaScript's bitwise operators work on 32 bits, so the word is two halves, `lo` (slots 0-31) and `hi`
 * (32-63), and the 64-bit rotation is done on the pair. Deadlines and `now` are whole milliseconds (up to 2^53),
 * divided with floating arithmetic, which is exact for powers of two.
 *
 * Invariants: bit `s` is set iff slot `s` is non-empty; `nextExpiration(now)` is never before `now`; only the
 * top level wraps (a slot "behind" `now` there means one rotation, 2^36 ms, ahead). On the lower levels the slot
 * of `now` is always empty (an entry there would belong to a lower level); on the top level it can hold entries
 * a whole rotation ahead, which Tokio's search (from the slot of `now`) would wrongly put first: tokio-rs/tokio
 * PR #8334, after the version this chapter follows. We search the top level from the slot after.
 *
 * `slotFor` is Task 1 of the lesson; the `Level` class is Task 3. `slotRange` and `levelRange` are given.
 */
import { todo } from "#kit/todo";
import type { TimerShared } from "./entry.ts";
import type { LinkedList } from "./linked-list.ts";

export const BITS_PER_LEVEL = 6;
export const NUM_LEVELS = 6;
/** Slots per level (a power of two). */
export const LEVEL_MULT = 1 << BITS_PER_LEVEL;

/** Which slot of which level comes due next, and when. */
export interface Expiration {
  readonly level: number;
  readonly slot: number;
  /** the tick at which the slot must be processed */
  readonly deadline: number;
}

/** Width of one slot of `level`, in ms: 64^level. */
export function slotRange(level: number): number {
  return 2 ** (BITS_PER_LEVEL * level);
}

/** Span of the whole `level`, in ms: 64^(level+1). */
export function levelRange(level: number): number {
  return 2 ** (BITS_PER_LEVEL * (level + 1));
}

/** The slot of `level` that holds a deadline of `when` ms: `(when >> 6*level) % 64`, for any `when` below 2^53. */
export function slotFor(when: number, level: number): number {
  return todo("12-timer-wheel", "slotFor");
}

export class Level {
  readonly level: number;
  // Sketch: the two halves of the occupancy word, and 64 `LinkedList`s (one per slot).

  constructor(level: number) {
    this.level = level;
  }

  /** The occupancy word, bit `s` for slot `s` (for inspection: the wheel itself uses the two halves). */
  occupied(): bigint {
    return todo("12-timer-wheel", "Level.occupied");
  }

  /** The next slot to process at or after `now`, and its deadline; `undefined` when the level is empty. */
  nextExpiration(now: number): Expiration | undefined {
    return todo("12-timer-wheel", "Level.nextExpiration");
  }

  /**
   * The first occupied slot at or after the slot of `now`, going round the ring; `undefined` if none. On the top
   * level the search starts one slot later: the slot of `now` there holds only entries a whole rotation ahead,
   * which come after every other slot.
   */
  nextOccupiedSlot(now: number): number | undefined {
    return todo("12-timer-wheel", "Level.nextOccupiedSlot");
  }

  /** Files `entry` in the slot of its `registeredWhen` and marks the slot occupied. */
  addEntry(entry: TimerShared): void {
    todo("12-timer-wheel", "Level.addEntry");
  }

  /** Unlinks `entry` from the slot of its `registeredWhen`; clears the slot's bit if it is now empty. */
  removeEntry(entry: TimerShared): void {
    todo("12-timer-wheel", "Level.removeEntry");
  }

  /** Empties `slot` and returns its entries (the occupancy bit is cleared). */
  takeSlot(slot: number): LinkedList {
    return todo("12-timer-wheel", "Level.takeSlot");
  }
}
