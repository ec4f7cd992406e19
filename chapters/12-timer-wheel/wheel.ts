/**
 * `Wheel` (Tokio's `runtime/time/wheel/mod.rs`): a hierarchical timing wheel of six levels of 64 slots.
 *
 *     level 0: 1 ms slots, 64 ms span        level 3: ~4.4 min slots, ~4.7 h span
 *     level 1: 64 ms slots, ~4.1 s span      level 4: ~4.7 h slots, ~12.4 day span
 *     level 2: ~4.1 s slots, ~4.4 min span   level 5: ~12.4 day slots, 2^36 ms (~2.2 years) span
 *
 * Time is counted in 1 ms ticks from the wheel's creation; `elapsed` is how far the wheel has been processed.
 * An entry goes to the level of the highest bit in which its deadline differs from `elapsed` (6 bits per level),
 * so a level only ever holds entries that fit within one rotation of it. When a slot of a higher level comes
 * due, its entries cascade: each is re-inserted relative to the slot's deadline and lands on a lower level,
 * until level 0 hands it to the pending list, from which `poll` returns it.
 *
 * Invariants: every filed entry's deadline is after `elapsed`; `elapsed` never moves backwards; `poll` returns
 * entries in deadline order, each when `elapsed` has reached exactly its deadline.
 *
 * `levelFor` is Task 1 of the lesson; the `Wheel` class is Tasks 4 and 5.
 */
import { todo } from "#kit/todo";
import type { TimerShared } from "./entry.ts";
import { BITS_PER_LEVEL, NUM_LEVELS, type Expiration, type Level } from "./level.ts";

/** The span of the wheel: deadlines further out wrap round the top level. */
export const MAX_DURATION = 2 ** (BITS_PER_LEVEL * NUM_LEVELS);

/**
 * The level for a deadline `when` seen from `elapsed`: the highest bit in which they differ, divided by 6, and
 * at most the top level. `| 63` makes the answer 0 when they differ only within the lowest 6 bits.
 */
export function levelFor(elapsed: number, when: number): number {
  return todo("12-timer-wheel", "levelFor");
}

export class Wheel {
  // Sketch: `elapsed` (starts at 0), six `Level`s, and the pending list (a `LinkedList`).

  /** The ticks processed so far. */
  elapsed(): number {
    return todo("12-timer-wheel", "Wheel.elapsed");
  }

  /** One level, for inspection (a RangeError for a level that does not exist). */
  level(level: number): Level {
    return todo("12-timer-wheel", "Wheel.level");
  }

  /**
   * Files `entry` under its deadline (`entry.state`) and returns true; returns false, filing nothing, when the
   * deadline is not after `elapsed` (Tokio's `Err(InsertError::Elapsed)`): the caller fires it at once.
   */
  insert(entry: TimerShared): boolean {
    return todo("12-timer-wheel", "Wheel.insert");
  }

  /** Unlinks `entry` from its slot or from the pending list, in O(1). */
  remove(entry: TimerShared): void {
    todo("12-timer-wheel", "Wheel.remove");
  }

  /** The next slot to process: `elapsed` itself while entries are pending, else the earliest over the levels. */
  nextExpiration(): Expiration | undefined {
    return todo("12-timer-wheel", "Wheel.nextExpiration");
  }

  /** The tick at which the wheel next has work, or `undefined` when it holds no timer. */
  nextExpirationTime(): number | undefined {
    return todo("12-timer-wheel", "Wheel.nextExpirationTime");
  }

  /**
   * Advances the wheel towards `now` and returns the next entry due by then (marked pending), or null once none
   * is left, with `elapsed` then at `now`. Call it until it returns null. Throws if `now` is before `elapsed`.
   */
  poll(now: number): TimerShared | null {
    return todo("12-timer-wheel", "Wheel.poll");
  }

  /**
   * Empties the slot of `expiration` and sorts its entries: those due by its deadline go to the pending list,
   * the rest are re-inserted relative to the deadline (a lower level, or the same top-level slot after a wrap).
   * The slot is emptied first, so re-inserting into it cannot loop.
   */
  processExpiration(expiration: Expiration): void {
    todo("12-timer-wheel", "Wheel.processExpiration");
  }
}
