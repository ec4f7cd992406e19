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
 */
import type { TimerShared } from "./entry.ts";
import { LinkedList } from "./linked-list.ts";

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

const SLOT_MASK = LEVEL_MULT - 1;
const TWO_POW_32 = 2 ** 32;

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
  // `>>>` reads only 32 bits: a deadline past 2^32 ms (~49.7 days) is divided instead (exact for a power of two).
  const shifted = when < TWO_POW_32 ? when >>> (BITS_PER_LEVEL * level) : Math.floor(when / slotRange(level));
  return shifted & SLOT_MASK;
}

export class Level {
  readonly level: number;
  readonly #slotRange: number;
  readonly #levelRange: number;
  /** occupancy of slots 0-31 and 32-63 */
  #lo = 0;
  #hi = 0;
  readonly #slots: LinkedList[];

  constructor(level: number) {
    this.level = level;
    this.#slotRange = slotRange(level);
    this.#levelRange = levelRange(level);
    this.#slots = Array.from({ length: LEVEL_MULT }, () => new LinkedList());
  }

  /** The occupancy word, bit `s` for slot `s` (for inspection: the wheel itself uses the two halves). */
  occupied(): bigint {
    return (BigInt(this.#hi >>> 0) << 32n) | BigInt(this.#lo >>> 0);
  }

  /** The next slot to process at or after `now`, and its deadline; `undefined` when the level is empty. */
  nextExpiration(now: number): Expiration | undefined {
    const slot = this.nextOccupiedSlot(now);
    if (slot === undefined) return undefined;
    const levelStart = now - (now % this.#levelRange);
    let deadline = levelStart + slot * this.#slotRange;
    // Only the top level can hold a slot "behind" now: its entries are a whole rotation ahead.
    if (deadline <= now) deadline += this.#levelRange;
    return { level: this.level, slot, deadline };
  }

  /**
   * The first occupied slot at or after the slot of `now`, going round the ring; `undefined` if none. On the top
   * level the search starts one slot later: the slot of `now` there holds only entries a whole rotation ahead,
   * which come after every other slot.
   */
  nextOccupiedSlot(now: number): number | undefined {
    if ((this.#lo | this.#hi) === 0) return undefined;
    const nowSlot = slotFor(now, this.level);
    const start = this.level === NUM_LEVELS - 1 ? (nowSlot + 1) & SLOT_MASK : nowSlot;
    const zeros = rotatedTrailingZeros(this.#lo, this.#hi, start);
    return (zeros + start) & SLOT_MASK;
  }

  /** Files `entry` in the slot of its `registeredWhen` and marks the slot occupied. */
  addEntry(entry: TimerShared): void {
    const slot = slotFor(entry.registeredWhen, this.level);
    this.#slots[slot]!.pushFront(entry);
    if (slot < 32) this.#lo |= 1 << slot;
    else this.#hi |= 1 << (slot - 32);
  }

  /** Unlinks `entry` from the slot of its `registeredWhen`; clears the slot's bit if it is now empty. */
  removeEntry(entry: TimerShared): void {
    const slot = slotFor(entry.registeredWhen, this.level);
    const list = this.#slots[slot]!;
    if (!list.remove(entry)) throw new Error(`timer entry is not in slot ${slot} of level ${this.level}`);
    if (list.isEmpty()) this.#clear(slot);
  }

  /** Empties `slot` and returns its entries (the occupancy bit is cleared). */
  takeSlot(slot: number): LinkedList {
    this.#clear(slot);
    return this.#slots[slot]!.take();
  }

  #clear(slot: number): void {
    if (slot < 32) this.#lo &= ~(1 << slot);
    else this.#hi &= ~(1 << (slot - 32));
  }
}

/** `trailing_zeros(rotate_right(hi:lo, n))` for a non-zero 64-bit word held as two 32-bit halves, 0 <= n < 64. */
function rotatedTrailingZeros(lo: number, hi: number, n: number): number {
  if (n >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    n -= 32;
  }
  // JavaScript masks shift counts to 5 bits (x << 32 is x), so a rotation by 0 is its own case.
  const rlo = n === 0 ? lo : (lo >>> n) | (hi << (32 - n));
  const rhi = n === 0 ? hi : (hi >>> n) | (lo << (32 - n));
  return rlo !== 0 ? trailingZeros32(rlo) : 32 + trailingZeros32(rhi);
}

function trailingZeros32(x: number): number {
  return 31 - Math.clz32(x & -x);
}
