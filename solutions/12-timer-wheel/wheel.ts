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
 */
import { STATE_DEREGISTERED, type TimerShared } from "./entry.ts";
import { BITS_PER_LEVEL, Level, NUM_LEVELS, type Expiration } from "./level.ts";
import { LinkedList } from "./linked-list.ts";

/** The span of the wheel: deadlines further out wrap round the top level. */
export const MAX_DURATION = 2 ** (BITS_PER_LEVEL * NUM_LEVELS);

const SLOT_MASK = (1 << BITS_PER_LEVEL) - 1;
const TWO_POW_32 = 2 ** 32;

/**
 * The level for a deadline `when` seen from `elapsed`: the highest bit in which they differ, divided by 6, and
 * at most the top level. `| 63` makes the answer 0 when they differ only within the lowest 6 bits.
 */
export function levelFor(elapsed: number, when: number): number {
  // `^` sees only the low 32 bits: if the high words differ, the highest differing bit is 32 or above.
  if ((elapsed >= TWO_POW_32 || when >= TWO_POW_32) && Math.floor(elapsed / TWO_POW_32) !== Math.floor(when / TWO_POW_32)) {
    return NUM_LEVELS - 1;
  }
  const masked = (elapsed ^ when) | SLOT_MASK;
  const significant = 31 - Math.clz32(masked);
  return Math.floor(significant / BITS_PER_LEVEL);
}

export class Wheel {
  #elapsed = 0;
  readonly #levels: Level[] = Array.from({ length: NUM_LEVELS }, (_, i) => new Level(i));
  /** Entries found due, waiting to be returned by `poll`. */
  readonly #pending = new LinkedList();

  /** The ticks processed so far. */
  elapsed(): number {
    return this.#elapsed;
  }

  /** One level, for inspection. */
  level(level: number): Level {
    const l = this.#levels[level];
    if (l === undefined) throw new RangeError(`no level ${level}: the wheel has levels 0 to ${NUM_LEVELS - 1}`);
    return l;
  }

  /**
   * Files `entry` under its deadline (`entry.state`) and returns true; returns false, filing nothing, when the
   * deadline is not after `elapsed` (Tokio's `Err(InsertError::Elapsed)`): the caller fires it at once.
   */
  insert(entry: TimerShared): boolean {
    const when = entry.syncWhen();
    if (when <= this.#elapsed) return false;
    this.#levels[levelFor(this.#elapsed, when)]!.addEntry(entry);
    return true;
  }

  /** Unlinks `entry` from its slot or from the pending list, in O(1). */
  remove(entry: TimerShared): void {
    const when = entry.registeredWhen;
    if (when === STATE_DEREGISTERED) {
      this.#pending.remove(entry);
      return;
    }
    this.#levels[levelFor(this.#elapsed, when)]!.removeEntry(entry);
  }

  /** The next slot to process: `elapsed` itself while entries are pending, else the earliest over the levels. */
  nextExpiration(): Expiration | undefined {
    if (!this.#pending.isEmpty()) return { level: 0, slot: 0, deadline: this.#elapsed };
    for (const level of this.#levels) {
      const expiration = level.nextExpiration(this.#elapsed);
      if (expiration !== undefined) return expiration;
    }
    return undefined;
  }

  /** The tick at which the wheel next has work, or `undefined` when it holds no timer. */
  nextExpirationTime(): number | undefined {
    return this.nextExpiration()?.deadline;
  }

  /**
   * Advances the wheel towards `now` and returns the next entry due by then (marked pending), or null once none
   * is left, with `elapsed` then at `now`. Call it until it returns null.
   */
  poll(now: number): TimerShared | null {
    for (;;) {
      const entry = this.#pending.popBack();
      if (entry !== null) return entry;
      const expiration = this.nextExpiration();
      if (expiration === undefined || expiration.deadline > now) {
        this.#setElapsed(now);
        return null;
      }
      this.processExpiration(expiration);
      this.#setElapsed(expiration.deadline);
    }
  }

  /**
   * Empties the slot of `expiration` and sorts its entries: those due by its deadline go to the pending list,
   * the rest are re-inserted relative to the deadline (a lower level, or the same top-level slot after a wrap).
   * The slot is emptied first, so re-inserting into it cannot loop.
   */
  processExpiration(expiration: Expiration): void {
    const entries = this.#levels[expiration.level]!.takeSlot(expiration.slot);
    for (let entry = entries.popBack(); entry !== null; entry = entries.popBack()) {
      if (entry.markPending(expiration.deadline)) this.#pending.pushFront(entry);
      else this.#levels[levelFor(expiration.deadline, entry.registeredWhen)]!.addEntry(entry);
    }
  }

  #setElapsed(when: number): void {
    if (when < this.#elapsed) throw new Error(`elapsed=${this.#elapsed}; when=${when}: the wheel cannot go back in time`);
    this.#elapsed = when;
  }
}
