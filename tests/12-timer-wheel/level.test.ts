/**
 * Hidden suite of chapter 12, tasks 1-3: placement (levelFor, slotFor), the entry and its intrusive list, a level.
 */
import { describe, expect, it } from "vitest";
import {
  LinkedList,
  Level,
  STATE_DEREGISTERED,
  TimerShared,
  levelFor,
  slotFor,
} from "#kata/12-timer-wheel";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { entryAt, refLevelFor, refSlotFor } from "../_support/12-timer-wheel.ts";
import { rng, seeds, withSeed } from "../_support/seed.ts";

const SIXTY_DAYS = 60 * 86_400_000; // 5,184,000,000 ms: past 2^32

/** A random integer in [0, 2^bits), spread over magnitudes (bits itself random up to maxBits). */
function wide(next: () => number, maxBits: number): number {
  const bits = Math.floor(next() * (maxBits + 1));
  return Math.floor(next() * 2 ** bits);
}

describe("Task 1: Levels and slots", () => {
  it("levelFor puts deadlines that differ from elapsed only in the low 6 bits on level 0", () => {
    for (let pos = 0; pos < 64; pos++) expect(levelFor(0, pos), `levelFor(0, ${pos})`).toBe(0);
    expect(levelFor(64, 127), "levelFor(64, 127)").toBe(0);
    expect(levelFor(1000, 1023), "levelFor(1000, 1023)").toBe(0);
  });

  it("levelFor is the highest differing bit divided by 6 (Tokio's test table)", () => {
    for (let level = 1; level < 5; level++) {
      for (let pos = level; pos < 64; pos++) {
        const a = pos * 64 ** level;
        expect(levelFor(0, a), `levelFor(0, ${a})`).toBe(level);
        if (pos > level) expect(levelFor(0, a - 1), `levelFor(0, ${a - 1})`).toBe(level);
        expect(levelFor(0, a + 1), `levelFor(0, ${a + 1})`).toBe(level);
      }
    }
    expect(levelFor(0, 2 ** 30), "levelFor(0, 2^30)").toBe(5);
    expect(levelFor(0, 2 ** 31 + 7), "levelFor(0, 2^31 + 7): bit 31 set").toBe(5);
  });

  it("levelFor compares bits, not distances", () => {
    expect(levelFor(63, 64), "63 -> 64 crosses a 64 ms block").toBe(1);
    expect(levelFor(4095, 4096), "4095 -> 4096 crosses a 4096 ms block").toBe(2);
    expect(levelFor(2 ** 32 - 1, 2 ** 32), "2^32-1 -> 2^32 differs in bit 32").toBe(5);
    expect(levelFor(100, 127), "100 -> 127 stays in the block 64..127").toBe(0);
  });

  it("levelFor is right past 2^32 ms, where JavaScript's ^ sees only 32 bits", () => {
    expect(levelFor(2 ** 32 + 5, 2 ** 32 + 10), "levelFor(2 ** 32 + 5, 2 ** 32 + 10)").toBe(0);
    expect(levelFor(2 ** 40, 2 ** 40 + 4096), "levelFor(2 ** 40, 2 ** 40 + 4096)").toBe(2);
    expect(levelFor(2 ** 33 + 2 ** 20, 2 ** 33 + 2 ** 20 + 100), "levelFor(2 ** 33 + 2 ** 20, 2 ** 33 + 2 ** 20 + 100)").toBe(1);
    for (const seed of seeds(4, 12)) {
      withSeed(seed, () => {
        const next = rng(seed);
        for (let i = 0; i < 2000; i++) {
          const elapsed = wide(next, 52);
          const when = elapsed + 1 + wide(next, 40);
          expect(levelFor(elapsed, when), `levelFor(${elapsed}, ${when})`).toBe(refLevelFor(elapsed, when));
        }
      });
    }
  });

  it("deadlines a whole wheel span (2^36 ms) or more away go to the top level", () => {
    expect(levelFor(0, 2 ** 36), "levelFor(0, 2 ** 36)").toBe(5);
    expect(levelFor(0, 2 ** 50 + 3), "levelFor(0, 2 ** 50 + 3)").toBe(5);
    expect(levelFor(5, 2 ** 36 + 5), "levelFor(5, 2 ** 36 + 5)").toBe(5);
    expect(levelFor(2 ** 36, 2 ** 36 + 1), "2^36 -> 2^36+1 differ in bit 0 only").toBe(0);
  });

  it("slotFor takes 6 bits per level", () => {
    for (let pos = 0; pos < 64; pos++) expect(slotFor(pos, 0), `slotFor(${pos}, 0)`).toBe(pos);
    for (let level = 1; level < 6; level++) {
      for (let pos = level; pos < 64; pos++) {
        const a = pos * 64 ** level;
        expect(slotFor(a, level), `slotFor(${a}, ${level})`).toBe(pos);
        expect(slotFor(a + 64 ** (level + 1), level), "a whole level span later: same slot").toBe(pos);
      }
    }
    expect(slotFor(100, 0), "slotFor(100, 0)").toBe(36);
  });

  it("slotFor is right past 2^32 ms", () => {
    expect(slotFor(SIXTY_DAYS, 5), "60 days on level 5").toBe(4);
    expect(slotFor(SIXTY_DAYS, 4), "60 days on level 4").toBe(52);
    expect(slotFor(2 ** 40 + 7, 0), "slotFor(2 ** 40 + 7, 0)").toBe(7);
    expect(slotFor(2 ** 45 + 3 * 2 ** 30, 5), "slotFor(2 ** 45 + 3 * 2 ** 30, 5)").toBe(3);
    for (const seed of seeds(2, 99)) {
      withSeed(seed, () => {
        const next = rng(seed);
        for (let i = 0; i < 2000; i++) {
          const when = wide(next, 53);
          const level = Math.floor(next() * 6);
          expect(slotFor(when, level), `slotFor(${when}, ${level})`).toBe(refSlotFor(when, level));
        }
      });
    }
  });
  it("exactly 2^32 ms: levelFor and slotFor still see bit 32", () => {
    expect(levelFor(0, 2 ** 32), "levelFor(0, 2^32): they differ in bit 32").toBe(5);
    expect(slotFor(2 ** 32, 5), "slotFor(2^32, 5): 2^32 / 2^30").toBe(4);
    expect(slotFor(2 ** 32, 4), "slotFor(2^32, 4): 2^32 / 2^24 = 256, mod 64").toBe(0);
  });
});

describe("Task 2: The entry and its list", () => {
  it("a new entry is deregistered; setExpiration gives it a deadline", () => {
    const e = new TimerShared();
    expect(e.when(), "when() of a new entry").toBeUndefined();
    expect(e.mightBeRegistered(), "e.mightBeRegistered()").toBe(false);
    expect(() => e.trueWhen()).toThrow("Timer already fired");
    e.setExpiration(50);
    expect(e.when(), "e.when()").toBe(50);
    expect({ state: e.state, registeredWhen: e.registeredWhen }).toEqual({ state: 50, registeredWhen: 50 });
    expect(e.mightBeRegistered(), "e.mightBeRegistered()").toBe(true);
    expect(e.isPending(), "e.isPending()").toBe(false);
    e.registeredWhen = 7;
    expect(e.syncWhen(), "syncWhen returns the true deadline").toBe(50);
    expect(e.registeredWhen, "and files the entry under it").toBe(50);
  });

  it("extendExpiration moves the deadline later without re-filing, and refuses otherwise", () => {
    const e = entryAt(50);
    expect(e.extendExpiration(80), "a later deadline").toBe(true);
    expect({ state: e.state, registeredWhen: e.registeredWhen }, "only the state moves").toEqual({ state: 80, registeredWhen: 50 });
    expect(e.extendExpiration(60), "an earlier deadline").toBe(false);
    expect(e.state, "e.state").toBe(80);
    expect(e.markPending(80), "e.markPending(80)").toBe(true);
    expect(e.extendExpiration(90), "a pending entry").toBe(false);
    const fresh = new TimerShared();
    expect(fresh.extendExpiration(90), "a deregistered entry").toBe(false);
    expect(fresh.mightBeRegistered(), "fresh.mightBeRegistered()").toBe(false);
  });

  it("markPending queues a due entry and re-files one whose deadline is later", () => {
    const due = entryAt(50);
    expect(due.markPending(50), "due.markPending(50)").toBe(true);
    expect(due.isPending(), "due.isPending()").toBe(true);
    expect(due.registeredWhen, "a pending entry lives on the pending list").toBe(STATE_DEREGISTERED);
    expect(due.mightBeRegistered(), "due.mightBeRegistered()").toBe(true);

    const extended = entryAt(50);
    extended.extendExpiration(90);
    expect(extended.markPending(50), "extended.markPending(50)").toBe(false);
    expect({ state: extended.state, registeredWhen: extended.registeredWhen }, "re-filed under its true deadline").toEqual({
      state: 90,
      registeredWhen: 90,
    });
    expect(entryAt(60).markPending(40), "not due yet").toBe(false);
    expect(() => new TimerShared().markPending(10)).toThrow("invalid state");
  });

  it("poll stores one clone of the waker; fire hands it back and deregisters", () => {
    const a = probe();
    const b = probe();
    const e = entryAt(10);
    expect(e.poll(a.waker), "not fired yet").toBe(false);
    expect(e.poll(a.waker), "e.poll(a.waker)").toBe(false);
    expect(a.stats.refs, "one clone kept, however often polled with the same waker").toBe(2);
    expect(e.poll(b.waker), "e.poll(b.waker)").toBe(false);
    expect([a.stats.refs, b.stats.refs], "the replaced clone is dropped").toEqual([1, 2]);
    const w = e.fire();
    expect(w?.willWake(b.waker), "fire returns the stored waker").toBe(true);
    expect(e.mightBeRegistered(), "e.mightBeRegistered()").toBe(false);
    expect(e.fire(), "a second fire").toBeNull();
    w!.wake();
    expect(b.stats).toMatchObject({ refs: 1, wakes: 1 });
    expect(e.poll(a.waker), "a fired entry polls ready").toBe(true);
    expect(a.stats.refs, "and keeps no waker").toBe(1);
  });

  it("deadline 0 and an extension to the same deadline are ordinary cases", () => {
    const zero = entryAt(0);
    expect(zero.extendExpiration(0), "extending to the same deadline is allowed").toBe(true);
    expect(zero.extendExpiration(5), "a deadline of 0 is a deadline, not a state").toBe(true);
    expect(zero.state, "zero.state").toBe(5);
    expect(entryAt(0).markPending(0), "a deadline of 0 is due at 0").toBe(true);
    const e = entryAt(30);
    expect(e.extendExpiration(30), "e.extendExpiration(30)").toBe(true);
    expect(e.state, "e.state").toBe(30);
  });

  it("poll with the same task's waker makes no vtable call after the first clone", () => {
    const { cx, calls } = tracked();
    const e = entryAt(10);
    e.poll(cx.waker);
    e.poll(cx.waker);
    e.poll(cx.waker);
    expect({ ...calls }, "one clone, no clone-and-drop per poll").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
  });

  it("LinkedList.remove refuses the head of another list and leaves both lists intact", () => {
    const list = new LinkedList();
    const mine = entryAt(1);
    list.pushFront(mine);
    const other = new LinkedList();
    const [x, y] = [entryAt(2), entryAt(3)];
    other.pushFront(x);
    other.pushFront(y); // y is the head of other, x its tail
    expect(list.remove(y), "the head of another list").toBe(false);
    expect([list.head, list.tail], "this list is untouched").toEqual([mine, mine]);
    expect([other.popBack(), other.popBack(), other.popBack()], "the other list is untouched").toEqual([x, y, null]);
  });

  it("LinkedList is first in, first out", () => {
    const list = new LinkedList();
    expect(list.isEmpty(), "list.isEmpty()").toBe(true);
    const [a, b, c] = [entryAt(1), entryAt(2), entryAt(3)];
    list.pushFront(a);
    list.pushFront(b);
    list.pushFront(c);
    expect(list.isEmpty(), "list.isEmpty()").toBe(false);
    expect([list.head, list.tail]).toEqual([c, a]);
    expect([list.popBack(), list.popBack(), list.popBack(), list.popBack()]).toEqual([a, b, c, null]);
    expect(list.isEmpty(), "list.isEmpty()").toBe(true);
    expect([a.prev, a.next], "a popped entry has no links").toEqual([null, null]);
  });

  it("LinkedList.remove unlinks an entry from anywhere in O(1)", () => {
    const list = new LinkedList();
    const es = [1, 2, 3, 4, 5].map(entryAt);
    for (const e of es) list.pushFront(e);
    expect(list.remove(es[2]!), "the middle").toBe(true);
    expect(list.remove(es[0]!), "the back").toBe(true);
    expect(list.remove(es[4]!), "the front").toBe(true);
    for (const e of [es[0]!, es[2]!, es[4]!]) expect([e.prev, e.next]).toEqual([null, null]);
    const other = new LinkedList();
    const stranger = entryAt(9);
    other.pushFront(stranger);
    other.pushFront(entryAt(10));
    expect(list.remove(stranger), "an entry of another list").toBe(false);
    expect(list.remove(entryAt(11)), "an entry of no list").toBe(false);
    expect([list.popBack(), list.popBack(), list.popBack()]).toEqual([es[1], es[3], null]);
    expect(other.popBack(), "the other list is untouched").toBe(stranger);
  });

  it("LinkedList.take moves every entry into a new list", () => {
    const list = new LinkedList();
    const es = [1, 2, 3].map(entryAt);
    for (const e of es) list.pushFront(e);
    const taken = list.take();
    expect(list.isEmpty(), "list.isEmpty()").toBe(true);
    expect(list.popBack()).toBeNull();
    expect([taken.popBack(), taken.popBack(), taken.popBack(), taken.popBack()]).toEqual([...es, null]);
  });
});

describe("Task 3: A level", () => {
  it("addEntry sets the slot's occupancy bit; removeEntry clears it when the slot empties", () => {
    const level = new Level(0);
    expect(level.occupied(), "level.occupied()").toBe(0n);
    const a = entryAt(3);
    const b = entryAt(40);
    const c = entryAt(104); // slot 40 as well
    const d = entryAt(63); // the top bit of the 64-bit word
    for (const e of [a, b, c, d]) level.addEntry(e);
    expect(level.occupied(), "level.occupied()").toBe((1n << 3n) | (1n << 40n) | (1n << 63n));
    level.removeEntry(b);
    expect(level.occupied(), "slot 40 still holds an entry").toBe((1n << 3n) | (1n << 40n) | (1n << 63n));
    level.removeEntry(c);
    level.removeEntry(d);
    expect(level.occupied(), "level.occupied()").toBe(1n << 3n);
    const upper = new Level(2);
    upper.addEntry(entryAt(33 * 4096 + 5));
    expect(upper.occupied(), "level 2 slots are 4096 ms wide").toBe(1n << 33n);
  });

  it("nextOccupiedSlot starts at the slot of now and goes round the ring", () => {
    const level = new Level(0);
    expect(level.nextOccupiedSlot(0), "an empty level").toBeUndefined();
    level.addEntry(entryAt(3));
    level.addEntry(entryAt(40));
    expect(level.nextOccupiedSlot(0), "level.nextOccupiedSlot(0)").toBe(3);
    expect(level.nextOccupiedSlot(3), "the slot of now counts").toBe(3);
    expect(level.nextOccupiedSlot(4), "level.nextOccupiedSlot(4)").toBe(40);
    expect(level.nextOccupiedSlot(41), "wraps round").toBe(3);
    expect(level.nextOccupiedSlot(64 + 35), "now in a later rotation").toBe(40);
    const top = new Level(0);
    top.addEntry(entryAt(63));
    expect(top.nextOccupiedSlot(0), "top.nextOccupiedSlot(0)").toBe(63);
    const bottom = new Level(0);
    bottom.addEntry(entryAt(64));
    expect(bottom.nextOccupiedSlot(1), "slot 0 seen from slot 1").toBe(0);
    const l3 = new Level(3);
    l3.addEntry(entryAt(50 * 262_144));
    l3.addEntry(entryAt(10 * 262_144));
    expect(l3.nextOccupiedSlot(20 * 262_144 + 7), "l3.nextOccupiedSlot(20 * 262_144 + 7)").toBe(50);
  });

  it("nextOccupiedSlot reads both halves of the 64-bit word in ring order, from now's slot 0 and from slot 32", () => {
    const level = new Level(0);
    level.addEntry(entryAt(12)); // slot 12: bit 12 of the low half
    level.addEntry(entryAt(40)); // slot 40: bit 8 of the high half
    expect(level.nextOccupiedSlot(0), "from slot 0: slot 12 comes before slot 40").toBe(12);
    expect(level.nextOccupiedSlot(32), "from slot 32 (a rotation by exactly half the word): slot 40").toBe(40);
    expect(level.nextOccupiedSlot(41), "from slot 41, round the ring: slot 12").toBe(12);
    const wide = new Level(0);
    wide.addEntry(entryAt(64 + 3)); // slot 3
    wide.addEntry(entryAt(40)); // slot 40
    expect(wide.nextOccupiedSlot(32), "from slot 32, slot 40 comes before slot 3").toBe(40);
  });

  it("nextExpiration gives the slot's deadline in the current rotation of the level", () => {
    const l1 = new Level(1);
    expect(l1.nextExpiration(0)).toBeUndefined();
    l1.addEntry(entryAt(5000)); // slot (5000 >> 6) % 64 = 14
    expect(l1.nextExpiration(4096), "l1.nextExpiration(4096)").toEqual({ level: 1, slot: 14, deadline: 4096 + 14 * 64 });
    const l0 = new Level(0);
    l0.addEntry(entryAt(70));
    expect(l0.nextExpiration(64), "l0.nextExpiration(64)").toEqual({ level: 0, slot: 6, deadline: 70 });
    const l4 = new Level(4);
    l4.addEntry(entryAt(SIXTY_DAYS));
    expect(l4.nextExpiration(2 ** 32), "past 2^32 ms").toEqual({ level: 4, slot: 52, deadline: 2 ** 32 + 52 * 2 ** 24 });
  });

  it("on the top level a slot behind now is a whole rotation ahead", () => {
    const top = new Level(5);
    top.addEntry(entryAt(2 ** 36 + 5)); // slot 0
    expect(top.nextExpiration(3 * 2 ** 30), "top.nextExpiration(3 * 2 ** 30)").toEqual({ level: 5, slot: 0, deadline: 2 ** 36 });
    const sixty = new Level(5);
    sixty.addEntry(entryAt(SIXTY_DAYS));
    expect(sixty.nextExpiration(0), "sixty.nextExpiration(0)").toEqual({ level: 5, slot: 4, deadline: 4 * 2 ** 30 });
  });

  it("on the top level the slot of now holds entries a rotation ahead: it comes last", () => {
    const top = new Level(5);
    const now = 3 * 2 ** 30 + 5; // slot 3 of the first rotation
    top.addEntry(entryAt(now + 2 ** 36)); // slot 3 again, one rotation later
    top.addEntry(entryAt(10 * 2 ** 30)); // slot 10, this rotation
    expect(top.nextOccupiedSlot(now), "slot 10 comes before the wrapped slot 3").toBe(10);
    expect(top.nextExpiration(now), "top.nextExpiration(now)").toEqual({ level: 5, slot: 10, deadline: 10 * 2 ** 30 });
    const alone = new Level(5);
    alone.addEntry(entryAt(now + 2 ** 36));
    expect(alone.nextExpiration(now), "alone, the wrapped slot is next").toEqual({ level: 5, slot: 3, deadline: 2 ** 36 + 3 * 2 ** 30 });
  });

  it("takeSlot empties a slot and clears its bit", () => {
    const level = new Level(0);
    const es = [10, 74, 138].map(entryAt); // all slot 10
    for (const e of es) level.addEntry(e);
    level.addEntry(entryAt(20));
    const taken = level.takeSlot(10);
    expect(level.occupied(), "level.occupied()").toBe(1n << 20n);
    expect([taken.popBack(), taken.popBack(), taken.popBack(), taken.popBack()], "in the order they were added").toEqual([...es, null]);
    expect(level.nextExpiration(0), "level.nextExpiration(0)").toEqual({ level: 0, slot: 20, deadline: 20 });
  });
});
