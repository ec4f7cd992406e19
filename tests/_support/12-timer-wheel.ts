/**
 * Test helpers for chapter 12: a BigInt transcription of Tokio's placement formulas (the oracle for deadlines past
 * 2^32 ms, where JavaScript's bitwise operators fall short), entries made in one call, and a sorted-list model of a
 * timer wheel for the property test.
 */
import { TimerShared, type Wheel } from "#kata/12-timer-wheel";

/** Tokio's `level_for`, on 64-bit integers. */
export function refLevelFor(elapsed: number, when: number): number {
  const masked = (BigInt(elapsed) ^ BigInt(when)) | 63n;
  if (masked >= 1n << 36n) return 5;
  return Math.floor((masked.toString(2).length - 1) / 6);
}

/** Tokio's `slot_for`, on 64-bit integers. */
export function refSlotFor(when: number, level: number): number {
  return Number((BigInt(when) >> BigInt(6 * level)) % 64n);
}

/** A fresh entry whose deadline is `tick` (not yet in any wheel). */
export function entryAt(tick: number): TimerShared {
  const e = new TimerShared();
  e.setExpiration(tick);
  return e;
}

/** What a wheel hands back for a `poll(now)` call: each entry with the wheel's `elapsed` when it came out. */
export function drain(wheel: Wheel, now: number): { entry: TimerShared; at: number }[] {
  const out: { entry: TimerShared; at: number }[] = [];
  for (let e = wheel.poll(now); e !== null; e = wheel.poll(now)) out.push({ entry: e, at: wheel.elapsed() });
  return out;
}

/** The simplest correct timer queue: a list kept sorted by deadline. */
export class SortedModel {
  #timers: { id: number; when: number }[] = [];

  insert(id: number, when: number): void {
    let i = this.#timers.length;
    while (i > 0 && this.#timers[i - 1]!.when > when) i--;
    this.#timers.splice(i, 0, { id, when });
  }

  cancel(id: number): void {
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  /** Removes and returns the timers due by `now`, grouped by deadline: "when:id,id" strings in deadline order. */
  advance(now: number): string[] {
    const due = this.#timers.filter((t) => t.when <= now);
    this.#timers = this.#timers.filter((t) => t.when > now);
    return groupByTick(due.map((t) => ({ id: t.id, at: t.when })));
  }

  ids(): number[] {
    return this.#timers.map((t) => t.id);
  }
}

/** "tick:id,id" per tick, ticks in the order met, ids sorted within a tick (their order there is unspecified). */
export function groupByTick(fired: { id: number; at: number }[]): string[] {
  const groups: { at: number; ids: number[] }[] = [];
  for (const f of fired) {
    const last = groups.at(-1);
    if (last !== undefined && last.at === f.at) last.ids.push(f.id);
    else groups.push({ at: f.at, ids: [f.id] });
  }
  return groups.map((g) => `${g.at}:${g.ids.sort((a, b) => a - b).join(",")}`);
}
