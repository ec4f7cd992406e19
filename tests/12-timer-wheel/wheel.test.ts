/**
 * Hidden suite of chapter 12, tasks 4-5: the wheel (insert, remove, next expiration, the pending list), polling
 * and cascading, deadlines past 2^32 ms and past the wheel's span, and a property test against a sorted model.
 */
import { describe, expect, it } from "vitest";
import { MAX_DURATION, TimerShared, Wheel } from "#kata/12-timer-wheel";
import { SortedModel, drain, entryAt, groupByTick } from "../_support/12-timer-wheel.ts";
import { rng, seeds, withSeed } from "../_support/seed.ts";

const SIXTY_DAYS = 60 * 86_400_000;

function occupancy(wheel: Wheel): bigint[] {
  return [0, 1, 2, 3, 4, 5].map((l) => wheel.level(l).occupied());
}

/** Inserts entries for `ticks` (all must be accepted) and returns them. */
function insertAll(wheel: Wheel, ticks: number[]): TimerShared[] {
  return ticks.map((t) => {
    const e = entryAt(t);
    expect(wheel.insert(e), `insert(${t}) with elapsed ${wheel.elapsed()}`).toBe(true);
    return e;
  });
}

describe("Task 4: The wheel", () => {
  it("insert files an entry on the level of its deadline", () => {
    const wheel = new Wheel();
    insertAll(wheel, [30, 100, 5000, SIXTY_DAYS]);
    expect(occupancy(wheel), "occupancy(wheel)").toEqual([1n << 30n, 1n << 1n, 1n << 1n, 0n, 0n, 1n << 4n]);
    expect(wheel.elapsed(), "wheel.elapsed()").toBe(0);
    expect(() => wheel.level(6), "there are levels 0 to 5").toThrow(RangeError);
  });

  it("insert refuses a deadline the wheel has already reached", () => {
    const wheel = new Wheel();
    const now = entryAt(0);
    expect(wheel.insert(now), "a deadline equal to elapsed").toBe(false);
    expect(wheel.nextExpiration(), "nothing filed").toBeUndefined();
    expect(now.registeredWhen, "insert still synced the entry's filing tick").toBe(0);
    expect(wheel.insert(entryAt(1))).toBe(true);
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(1);
  });

  it("nextExpiration is the earliest slot over all the levels", () => {
    const wheel = new Wheel();
    expect(wheel.nextExpirationTime(), "an empty wheel").toBeUndefined();
    insertAll(wheel, [5000]);
    expect(wheel.nextExpiration(), "wheel.nextExpiration()").toEqual({ level: 2, slot: 1, deadline: 4096 });
    insertAll(wheel, [100]);
    expect(wheel.nextExpiration(), "wheel.nextExpiration()").toEqual({ level: 1, slot: 1, deadline: 64 });
    insertAll(wheel, [30]);
    expect(wheel.nextExpiration(), "wheel.nextExpiration()").toEqual({ level: 0, slot: 30, deadline: 30 });
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(30);
  });

  it("remove unlinks an entry from its level", () => {
    const wheel = new Wheel();
    const [a, b, c] = insertAll(wheel, [30, 100, 94]);
    wheel.remove(a!);
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(64);
    wheel.remove(b!);
    expect(occupancy(wheel)[1], "slot 1 of level 1 still holds 94").toBe(1n << 1n);
    wheel.remove(c!);
    expect(occupancy(wheel), "occupancy(wheel)").toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
    expect(wheel.nextExpirationTime()).toBeUndefined();
  });

  it("remove finds entries on every level, past 2^32 ms and past the wheel's span too", () => {
    const wheel = new Wheel();
    const es = insertAll(wheel, [30, 100, 5000, SIXTY_DAYS, 3 * MAX_DURATION + 7]);
    const next: (number | undefined)[] = [];
    for (const e of es) {
      wheel.remove(e);
      next.push(wheel.nextExpirationTime());
    }
    expect(next, "the next expiration after each removal").toEqual([64, 4096, 2 ** 32, MAX_DURATION, undefined]);
    expect(occupancy(wheel), "occupancy(wheel)").toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
  });
});

describe("Task 5: Polling and cascading", () => {
  it("due entries wait on the pending list, where remove finds them too", () => {
    const wheel = new Wheel();
    const [a, b, c] = insertAll(wheel, [10, 10, 10]);
    expect(wheel.poll(10), "first in, first out").toBe(a);
    expect(wheel.elapsed(), "wheel.elapsed()").toBe(10);
    expect(wheel.nextExpiration(), "pending entries are due at elapsed").toEqual({ level: 0, slot: 0, deadline: 10 });
    expect(b!.isPending(), "b.isPending()").toBe(true);
    wheel.remove(b!);
    expect(wheel.poll(10), "wheel.poll(10)").toBe(c);
    expect(wheel.poll(10)).toBeNull();
    expect(wheel.nextExpirationTime()).toBeUndefined();
  });

  it("poll returns due entries in deadline order, each when elapsed reaches its deadline", () => {
    const wheel = new Wheel();
    const ticks = [5, 1, 3, 70, 64, 4095, 4096, 300];
    const es = insertAll(wheel, ticks);
    const deadline = new Map(es.map((e, i) => [e, ticks[i]!]));
    const fired = drain(wheel, 5000);
    expect(
      fired.map((f) => f.at),
      `the ticks at which drain(wheel, 5000) handed out each entry (inserted at 0 with deadlines ${ticks.join(", ")})`,
    ).toEqual([1, 3, 5, 64, 70, 300, 4095, 4096]);
    for (const f of fired) expect(f.at, "fired when elapsed equals its deadline").toBe(deadline.get(f.entry));
    expect(new Set(fired.map((f) => f.entry))).toEqual(new Set(es));
    for (const f of fired) expect(f.entry.isPending(), "poll hands entries out pending").toBe(true);
    expect(wheel.elapsed(), "wheel.elapsed()").toBe(5000);
  });

  it("poll never returns an entry early, and moves elapsed to now", () => {
    const wheel = new Wheel();
    const [e] = insertAll(wheel, [50]);
    expect(wheel.poll(49)).toBeNull();
    expect(wheel.elapsed(), "with nothing due, elapsed moves to now").toBe(49);
    expect(wheel.poll(50), "wheel.poll(50)").toBe(e);
    expect(wheel.elapsed(), "wheel.elapsed()").toBe(50);
    expect(drain(wheel, 100), "drain(wheel, 100)").toEqual([]);
    expect(wheel.elapsed(), "wheel.elapsed()").toBe(100);
    expect(wheel.insert(entryAt(99)), "a deadline before elapsed").toBe(false);
    expect(wheel.insert(entryAt(100)), "a deadline at elapsed").toBe(false);
    expect(wheel.insert(entryAt(101))).toBe(true);
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(101);
  });

  it("a worked cascade: 5000 ms goes down from level 2 to 1 to 0", () => {
    const wheel = new Wheel();
    const [e] = insertAll(wheel, [5000]);
    expect(occupancy(wheel), "occupancy(wheel)").toEqual([0n, 0n, 1n << 1n, 0n, 0n, 0n]);
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(4096);
    expect(wheel.poll(4096), "the level 2 slot cascades, nothing fires").toBeNull();
    expect(occupancy(wheel), "5000 ^ 4096 = 904: level 1, slot 14").toEqual([0n, 1n << 14n, 0n, 0n, 0n, 0n]);
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(4992);
    expect(wheel.poll(4992)).toBeNull();
    expect(occupancy(wheel), "5000 ^ 4992 = 8: level 0, slot 8").toEqual([1n << 8n, 0n, 0n, 0n, 0n, 0n]);
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(5000);
    expect(wheel.poll(4999)).toBeNull();
    expect(wheel.poll(5000), "wheel.poll(5000)").toBe(e);
  });

  it("a deadline 60 days out (past 2^32 ms) fires at the right tick", () => {
    const wheel = new Wheel();
    const [e] = insertAll(wheel, [SIXTY_DAYS]);
    const stops: number[] = [];
    for (let next = wheel.nextExpirationTime(); next !== undefined && next < SIXTY_DAYS; next = wheel.nextExpirationTime()) {
      stops.push(next);
      expect(wheel.poll(next), `nothing fires at ${next}`).toBeNull();
    }
    expect(stops, "the cascade: level 5, 4, 3, then due").toEqual([2 ** 32, 2 ** 32 + 52 * 2 ** 24, 2 ** 32 + 52 * 2 ** 24 + 63 * 2 ** 18]);
    expect(wheel.nextExpirationTime(), "wheel.nextExpirationTime()").toBe(SIXTY_DAYS);
    expect(wheel.poll(SIXTY_DAYS - 1)).toBeNull();
    expect(wheel.poll(SIXTY_DAYS), "wheel.poll(SIXTY_DAYS)").toBe(e);
    expect(wheel.elapsed(), "wheel.elapsed()").toBe(SIXTY_DAYS);
  });

  it("deadlines beyond the wheel's span wrap round the top level and fire on time", () => {
    const wheel = new Wheel();
    const far = 3 * MAX_DURATION + 12_345;
    const [e, f] = insertAll(wheel, [far, MAX_DURATION + 1]);
    let last = 0;
    for (let next = wheel.nextExpirationTime(); next !== undefined && next < far; next = wheel.nextExpirationTime()) {
      expect(next, "expirations move forward").toBeGreaterThan(last);
      last = next;
      const out = drain(wheel, next);
      for (const o of out) expect(o.entry, `only the 2^36 + 1 timer fires before ${far}`).toBe(f);
      if (out.length > 0) expect(out[0]!.at, "out[0].at").toBe(MAX_DURATION + 1);
    }
    expect(drain(wheel, far - 1), "drain(wheel, far - 1)").toEqual([]);
    expect(drain(wheel, far), "drain(wheel, far)").toEqual([{ entry: e, at: far }]);
  });

  it("a timer a rotation ahead in the top level's current slot does not delay the others", () => {
    const wheel = new Wheel();
    const start = 3 * 2 ** 30 + 5;
    expect(drain(wheel, start), "drain(wheel, start)").toEqual([]);
    const [far, near, short] = insertAll(wheel, [start + MAX_DURATION, 10 * 2 ** 30 + 7, start + 100]);
    expect(drain(wheel, start + 100), "drain(wheel, start + 100)").toEqual([{ entry: short, at: start + 100 }]);
    expect(drain(wheel, 10 * 2 ** 30 + 7), "the level 5 timer of this rotation fires on time").toEqual([{ entry: near, at: 10 * 2 ** 30 + 7 }]);
    expect(drain(wheel, start + MAX_DURATION - 1), "drain(wheel, start + MAX_DURATION - 1)").toEqual([]);
    expect(drain(wheel, start + MAX_DURATION), "drain(wheel, start + MAX_DURATION)").toEqual([{ entry: far, at: start + MAX_DURATION }]);
  });

  it("a wheel past 2^32 ms files and fires short timers exactly", () => {
    const wheel = new Wheel();
    const base = 2 ** 32 + 1000;
    expect(drain(wheel, base), "drain(wheel, base)").toEqual([]);
    insertAll(wheel, [base + 1, base + 63, base + 64, base + 5000, base + 2 ** 31]);
    expect(drain(wheel, base + 2 ** 32).map((f) => f.at - base)).toEqual([1, 63, 64, 5000, 2 ** 31]);
  });

  it("an entry extended lazily is re-filed when its old slot comes due", () => {
    const wheel = new Wheel();
    const [e] = insertAll(wheel, [10]);
    expect(e!.extendExpiration(1000), "e.extendExpiration(1000)").toBe(true);
    expect(wheel.nextExpirationTime(), "the wheel still wakes at the old deadline").toBe(10);
    expect(drain(wheel, 10), "nothing fires at 10").toEqual([]);
    expect(e!.registeredWhen, "re-filed under 1000").toBe(1000);
    expect(drain(wheel, 999), "drain(wheel, 999)").toEqual([]);
    expect(drain(wheel, 1000), "drain(wheel, 1000)").toEqual([{ entry: e, at: 1000 }]);
  });

  it("poll cannot take the wheel back in time", () => {
    const wheel = new Wheel();
    wheel.poll(100);
    expect(() => wheel.poll(50)).toThrow(/elapsed=100; when=50/);
    expect(wheel.elapsed(), "wheel.elapsed()").toBe(100);
  });

  it("property: the same timers fire at the same ticks as a sorted model", () => {
    for (const seed of seeds(40, 2024)) {
      withSeed(seed, () => {
        const next = rng(seed);
        const wheel = new Wheel();
        const model = new SortedModel();
        const live = new Map<number, TimerShared>();
        let id = 0;
        let now = 0;
        const delay = (): number => {
          const r = next();
          if (r < 0.55) return Math.floor(next() * 200);
          if (r < 0.8) return Math.floor(next() * 100_000);
          if (r < 0.95) return Math.floor(next() * 2 ** 33);
          return Math.floor(next() * 2 ** 38);
        };
        for (let op = 0; op < 300; op++) {
          const r = next();
          if (r < 0.5) {
            const e = entryAt(now + delay());
            const inserted = wheel.insert(e);
            expect(inserted, `insert(${e.state}) at elapsed ${now}`).toBe(e.state > now);
            if (inserted) {
              live.set(id, e);
              model.insert(id, e.state);
            }
            id++;
          } else if (r < 0.7 && live.size > 0) {
            const ids = [...live.keys()];
            const victim = ids[Math.floor(next() * ids.length)]!;
            const e = live.get(victim)!;
            wheel.remove(e);
            e.fire();
            live.delete(victim);
            model.cancel(victim);
          } else {
            const k = next();
            const target = k < 0.4 ? wheel.nextExpirationTime() : undefined;
            now = target ?? now + (k < 0.8 ? Math.floor(next() * 300) : Math.floor(next() * 2 ** 34));
            const ids = new Map([...live].map(([i, e]) => [e, i]));
            const fired = drain(wheel, now).map((f) => {
              const i = ids.get(f.entry)!;
              f.entry.fire();
              live.delete(i);
              return { id: i, at: f.at };
            });
            expect(groupByTick(fired), `advance to ${now}: "tick:ids" fired`).toEqual(model.advance(now));
            expect(wheel.elapsed(), "wheel.elapsed()").toBe(now);
          }
        }
        expect([...live.keys()].sort((a, b) => a - b)).toEqual(model.ids().sort((a, b) => a - b));
      });
    }
  });
});
