/**
 * Hidden suite of chapter 03: Waker over its vtable, noop and counting wakers, AtomicWaker (and its race).
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { AtomicWaker, Context, RawWaker, Waker, wakerFn, type RawWakerVTable, type WakerRef } from "#kata/03-waker";

const CONSUMED = "waker used after it was consumed by wake() or drop()";

/** A waker over a vtable that logs every call as "<entry> <data>"; clones share the data unless told otherwise. */
function recording(data: unknown = "t") {
  const log: string[] = [];
  const vtable: RawWakerVTable = {
    clone: (d) => (log.push(`clone ${String(d)}`), new RawWaker(d, vtable)),
    wake: (d) => log.push(`wake ${String(d)}`),
    wakeByRef: (d) => log.push(`wakeByRef ${String(d)}`),
    drop: (d) => log.push(`drop ${String(d)}`),
  };
  return { log, vtable, waker: Waker.fromRaw(new RawWaker(data, vtable)) };
}

/** A counting waker whose vtable's clone runs `onClone` first (for the re-entrancy tests). */
function hooked(onClone: () => void) {
  const stats = { refs: 1, wakes: 0, clones: 0, drops: 0 };
  const data = {};
  const vtable: RawWakerVTable = {
    clone: (d) => {
      onClone();
      stats.refs++;
      stats.clones++;
      return new RawWaker(d, vtable);
    },
    wake: () => {
      stats.wakes++;
      stats.refs--;
    },
    wakeByRef: () => {
      stats.wakes++;
    },
    drop: () => {
      stats.drops++;
      stats.refs--;
    },
  };
  return { stats, waker: Waker.fromRaw(new RawWaker(data, vtable)) };
}

const plain = (s: { refs: number; wakes: number }) => ({ refs: s.refs, wakes: s.wakes });

describe("Task 1: The Waker over its vtable", () => {
  it("fromRaw keeps the raw waker's data and vtable", () => {
    const data = { task: 1 };
    const { vtable } = recording();
    const w = Waker.fromRaw(new RawWaker(data, vtable));
    expect(w.data, "w.data").toBe(data);
    expect(w.vtable, "w.vtable").toBe(vtable);
  });

  it("wakeByRef calls vtable.wakeByRef(data) once and the waker stays usable", () => {
    const { log, waker } = recording("a");
    waker.wakeByRef();
    waker.wakeByRef();
    expect(log).toEqual(["wakeByRef a", "wakeByRef a"]);
  });

  it("wake calls vtable.wake(data) once and consumes the waker: every later use throws without a vtable call", () => {
    const { log, waker } = recording("a");
    waker.wake();
    expect(log).toEqual(["wake a"]);
    const uses: [string, () => unknown][] = [
      ["wake", () => waker.wake()],
      ["wakeByRef", () => waker.wakeByRef()],
      ["drop", () => waker.drop()],
      ["clone", () => waker.clone()],
      ["willWake", () => waker.willWake(recording("a").waker)],
      ["data", () => waker.data],
      ["vtable", () => waker.vtable],
    ];
    for (const [name, use] of uses) expect(use, `${name} after wake()`).toThrow(CONSUMED);
    expect(log, "no vtable call after the waker was consumed").toEqual(["wake a"]);
  });

  it("drop calls vtable.drop(data) once, never a wake, and consumes the waker", () => {
    const { log, waker } = recording("b");
    waker.drop();
    expect(log).toEqual(["drop b"]);
    expect(() => waker.wakeByRef()).toThrow(CONSUMED);
    expect(() => waker.drop()).toThrow(CONSUMED);
    expect(log).toEqual(["drop b"]);
  });

  it("clone calls vtable.clone(data) once and wraps the RawWaker it returns", () => {
    const log: string[] = [];
    const other: RawWakerVTable = {
      clone: (d) => new RawWaker(d, other),
      wake: (d) => log.push(`other.wake ${String(d)}`),
      wakeByRef: (d) => log.push(`other.wakeByRef ${String(d)}`),
      drop: (d) => log.push(`other.drop ${String(d)}`),
    };
    const first: RawWakerVTable = {
      clone: (d) => (log.push(`first.clone ${String(d)}`), new RawWaker(`${String(d)}'`, other)),
      wake: () => log.push("first.wake"),
      wakeByRef: () => log.push("first.wakeByRef"),
      drop: () => log.push("first.drop"),
    };
    const w = Waker.fromRaw(new RawWaker("x", first));
    const c = w.clone();
    expect(c).not.toBe(w);
    expect(c.data, "the clone's data is what vtable.clone returned").toBe("x'");
    expect(c.vtable, "c.vtable").toBe(other);
    c.wakeByRef();
    c.wake();
    expect(log).toEqual(["first.clone x", "other.wakeByRef x'", "other.wake x'"]);
  });

  it("each clone is consumed on its own: waking the original leaves its clones usable", () => {
    const { log, waker } = recording("c");
    const c1 = waker.clone();
    const c2 = c1.clone();
    waker.wake();
    c1.wakeByRef();
    c1.drop();
    c2.wake();
    expect(log).toEqual(["clone c", "clone c", "wake c", "wakeByRef c", "drop c", "wake c"]);
    expect(() => c1.wakeByRef()).toThrow(CONSUMED);
  });

  it("willWake is true exactly when data and vtable are both the same", () => {
    const data = {};
    const a = recording(data);
    const b = recording(data); // same data, another vtable
    const c = recording({}); // another data
    const a2 = Waker.fromRaw(new RawWaker(data, a.vtable));
    expect(a.waker.willWake(a2), "same data, same vtable").toBe(true);
    expect(a.waker.willWake(a.waker.clone()), "a clone wakes the same task").toBe(true);
    expect(a.waker.willWake(b.waker), "same data, different vtable").toBe(false);
    expect(a.waker.willWake(Waker.fromRaw(new RawWaker({}, a.vtable))), "same vtable, different data").toBe(false);
    expect(c.waker.willWake(a.waker), "c.waker.willWake(a.waker)").toBe(false);
  });

  it("cx.waker is a borrowed WakerRef: no wake or drop, and a future that must wake later stores a clone", () => {
    const { log, waker } = recording("task");
    const cx = new Context(waker);
    expectTypeOf(cx.waker).toEqualTypeOf<WakerRef>();
    // @ts-expect-error a borrowed waker cannot be consumed
    expect(typeof cx.waker.wake, "typeof cx.waker.wake").toBe("function"); // at run time the object is a Waker; the type forbids it
    // @ts-expect-error nor dropped
    void cx.waker.drop;
    const stored: Waker = cx.waker.clone();
    stored.wake();
    cx.waker.wakeByRef();
    expect(log).toEqual(["clone task", "wake task", "wakeByRef task"]);
  });
});

describe("Task 2: Noop and counting wakers", () => {
  it("Waker.noop(): every method works and does nothing, and clones are no-op wakers too", () => {
    const w = Waker.noop();
    w.wakeByRef();
    const c = w.clone();
    expect(c.willWake(w), "c.willWake(w)").toBe(true);
    c.wake();
    w.drop();
    expect(() => w.wakeByRef(), "noop wakers are consumed like any other").toThrow(CONSUMED);
  });

  it("Waker.noop() returns a distinct handle each call, on one shared raw waker with null data", () => {
    const a = Waker.noop();
    const b = Waker.noop();
    expect(a).not.toBe(b);
    expect(a.data).toBeNull();
    expect(a.vtable, "one shared vtable").toBe(b.vtable);
    expect(a.willWake(b), "a.willWake(b)").toBe(true);
    a.wake();
    expect(() => b.wakeByRef(), "consuming one handle leaves the others usable").not.toThrow();
  });

  it("wakerFn: a wake by value calls f once, counts a wake and releases the handle", () => {
    let calls = 0;
    const { waker, stats } = wakerFn(() => calls++);
    expect(plain(stats), "plain(stats)").toEqual({ refs: 1, wakes: 0 });
    waker.wake();
    expect(plain(stats), "plain(stats)").toEqual({ refs: 0, wakes: 1 });
    expect(calls).toBe(1);
  });

  it("wakerFn: wakeByRef calls f and counts a wake, keeping the handle", () => {
    let calls = 0;
    const { waker, stats } = wakerFn(() => calls++);
    waker.wakeByRef();
    waker.wakeByRef();
    expect(plain(stats), "plain(stats)").toEqual({ refs: 1, wakes: 2 });
    expect(calls).toBe(2);
  });

  it("wakerFn: refs count live handles, +1 per clone and -1 per wake or drop, back to 0", () => {
    const { waker, stats } = wakerFn();
    const c1 = waker.clone();
    const c2 = c1.clone();
    expect(stats.refs, "stats.refs").toBe(3);
    c1.drop();
    expect(stats.refs, "stats.refs").toBe(2);
    c2.wake();
    waker.drop();
    expect(plain(stats), "every handle consumed; one wake").toEqual({ refs: 0, wakes: 1 });
  });

  it("wakerFn: stats is a live view shared by all clones; clones wake each other's task, other wakerFns do not", () => {
    let calls = 0;
    const { waker, stats } = wakerFn(() => calls++);
    const seen = stats;
    const c = waker.clone();
    c.wakeByRef();
    expect(seen.wakes, "the same stats object, updated in place").toBe(1);
    expect(calls).toBe(1);
    expect(c.willWake(waker), "c.willWake(waker)").toBe(true);
    expect(wakerFn().waker.willWake(waker), "another wakerFn is another task").toBe(false);
  });

  it("wakerFn() without a function wakes harmlessly", () => {
    const { waker, stats } = wakerFn();
    waker.wakeByRef();
    waker.wake();
    expect(plain(stats), "plain(stats)").toEqual({ refs: 0, wakes: 2 });
  });
});

describe("Task 3: AtomicWaker: register and wake", () => {
  it("with nothing registered, wake() does nothing and take() returns null", () => {
    const aw = new AtomicWaker();
    expect(() => aw.wake()).not.toThrow();
    expect(aw.take()).toBeNull();
  });

  it("register stores a clone: one more live handle, and the caller keeps its own waker", () => {
    const { waker, stats } = wakerFn();
    const aw = new AtomicWaker();
    aw.register(waker);
    expect(plain(stats), "plain(stats)").toEqual({ refs: 2, wakes: 0 });
    waker.drop();
    expect(stats.refs, "the slot still holds its clone").toBe(1);
  });

  it("wake() wakes the stored waker by value and empties the slot", () => {
    const { waker, stats } = wakerFn();
    const aw = new AtomicWaker();
    aw.register(waker);
    aw.wake();
    expect(plain(stats), "the clone was woken and released").toEqual({ refs: 1, wakes: 1 });
    aw.wake();
    expect(stats.wakes, "the slot is empty: a second wake does nothing").toBe(1);
  });

  it("registering a waker that willWake the stored one keeps the stored one (no clone)", () => {
    const { waker, stats } = wakerFn();
    const aw = new AtomicWaker();
    aw.register(waker);
    aw.register(waker);
    aw.register(waker.clone()); // a clone of the same task (refs: 1 + stored + this one)
    expect(stats.refs, "only one clone was stored").toBe(3);
  });

  it("re-registering the same task's waker makes no vtable call: no clone-and-drop churn", () => {
    const { log, waker } = recording();
    const aw = new AtomicWaker();
    aw.register(waker);
    expect(log, "the first registration stores one clone").toEqual(["clone t"]);
    aw.register(waker);
    aw.register(waker);
    expect(log, "registrations of a waker that willWake the stored one call nothing").toEqual(["clone t"]);
  });

  it("registering another task's waker drops the stored one and stores a clone of the new one", () => {
    const a = wakerFn();
    const b = wakerFn();
    const aw = new AtomicWaker();
    aw.register(a.waker);
    aw.register(b.waker);
    expect(plain(a.stats), "a's clone was dropped, not woken").toEqual({ refs: 1, wakes: 0 });
    expect(b.stats.refs, "b.stats.refs").toBe(2);
    aw.wake();
    expect(plain(b.stats), "plain(b.stats)").toEqual({ refs: 1, wakes: 1 });
    expect(a.stats.wakes, "a.stats.wakes").toBe(0);
  });

  it("take() hands over the stored waker without waking it, and empties the slot", () => {
    const { waker, stats } = wakerFn();
    const aw = new AtomicWaker();
    aw.register(waker);
    const taken = aw.take();
    expect(taken).not.toBeNull();
    expect(taken!.willWake(waker), "taken.willWake(waker)").toBe(true);
    expect(plain(stats), "plain(stats)").toEqual({ refs: 2, wakes: 0 });
    expect(aw.take()).toBeNull();
    taken!.wake();
    expect(plain(stats), "plain(stats)").toEqual({ refs: 1, wakes: 1 });
  });
});

describe("Task 4: A wake during registration", () => {
  it("a clone that calls wake() re-entrantly: the new waker is still woken, once, when registration ends", () => {
    const aw = new AtomicWaker();
    let reentered = 0;
    const { stats, waker } = hooked(() => {
      reentered++;
      aw.wake();
    });
    aw.register(waker);
    expect(reentered).toBe(1);
    expect(stats.wakes, "the wake that arrived mid-registration is not lost").toBe(1);
    expect(stats.refs, "the stored clone was woken by value: only the caller's handle is live").toBe(1);
    expect(aw.take(), "the slot is empty after the deferred wake").toBeNull();
  });

  it("the waker it replaced is woken too (the racing wake may have been meant for it), not merely dropped", () => {
    const aw = new AtomicWaker();
    const old = hooked(() => {});
    aw.register(old.waker);
    const next = hooked(() => aw.wake());
    aw.register(next.waker);
    expect({ wakes: old.stats.wakes, drops: old.stats.drops, refs: old.stats.refs }, "the replaced waker").toEqual({
      wakes: 1,
      drops: 0,
      refs: 1,
    });
    expect(plain(next.stats), "the new waker").toEqual({ refs: 1, wakes: 1 });
  });

  it("take() during a registration returns null and leaves the wake to the registrar", () => {
    const aw = new AtomicWaker();
    let taken: unknown = "not called";
    const { stats, waker } = hooked(() => {
      taken = aw.take();
    });
    aw.register(waker);
    expect(taken, "take() while REGISTERING").toBeNull();
    expect(stats.wakes, "the registrar performed the wake").toBe(1);
  });

  it("after the race the AtomicWaker works normally again", () => {
    const aw = new AtomicWaker();
    let first = true;
    const racy = hooked(() => {
      if (first) {
        first = false;
        aw.wake();
      }
    });
    aw.register(racy.waker);
    const later = wakerFn();
    aw.register(later.waker);
    expect(later.stats.refs, "a later registration stores a clone").toBe(2);
    aw.wake();
    expect(plain(later.stats), "plain(later.stats)").toEqual({ refs: 1, wakes: 1 });
  });

  it("a clone that throws: the error propagates, the old waker stays, and the slot stays usable", () => {
    const aw = new AtomicWaker();
    const old = wakerFn();
    aw.register(old.waker);
    const boom = new Error("clone failed");
    const bad = hooked(() => {
      throw boom;
    });
    expect(() => aw.register(bad.waker)).toThrow(boom);
    expect(old.stats.refs, "the old waker is still stored").toBe(2);
    aw.wake();
    expect(plain(old.stats), "wake() reaches the old waker").toEqual({ refs: 1, wakes: 1 });
    aw.register(old.waker);
    expect(old.stats.refs, "register works again (the state went back to WAITING)").toBe(2);
  });

  it("a clone that throws after a racing wake: the old waker is woken and the error propagates", () => {
    const aw = new AtomicWaker();
    const old = wakerFn();
    aw.register(old.waker);
    const boom = new Error("clone failed");
    const bad = hooked(() => {
      aw.wake();
      throw boom;
    });
    expect(() => aw.register(bad.waker)).toThrow(boom);
    expect(plain(old.stats), "the old waker: taken out of the slot and woken by value, not left stored").toEqual({
      refs: 1,
      wakes: 1,
    });
    expect(aw.take()).toBeNull();
  });

  it("a clone that throws after a racing wake, with nothing stored before: only the clone's error comes out", () => {
    const aw = new AtomicWaker();
    const boom = new Error("clone failed");
    const bad = hooked(() => {
      aw.wake();
      throw boom;
    });
    expect(() => aw.register(bad.waker), "the clone's own error, not one from waking an empty slot").toThrow(boom);
    expect(aw.take()).toBeNull();
  });

  it("a register re-entered from inside clone makes no vtable call on the nested waker", () => {
    const aw = new AtomicWaker();
    const nested = recording("nested");
    const outer = hooked(() => aw.register(nested.waker));
    aw.register(outer.waker);
    expect(nested.log, "the nested registration returned at once: no clone, no drop").toEqual([]);
  });

  it("a register re-entered from inside clone is ignored: the outer registration wins", () => {
    const aw = new AtomicWaker();
    const inner = wakerFn();
    const outer = hooked(() => aw.register(inner.waker));
    aw.register(outer.waker);
    expect(plain(inner.stats), "the nested registration stored nothing and woke nothing").toEqual({
      refs: 1,
      wakes: 0,
    });
    aw.wake();
    expect(outer.stats.wakes, "the outer registration's clone is the stored one").toBe(1);
  });

  it("a replaced waker that throws is someone else's problem: register does not throw, and the new waker is woken", () => {
    // Tokio runs the replaced waker's drop and wake under catch_unwind: its panic is not the registrar's.
    const throwing = (what: "drop" | "wake") => {
      const data = {};
      const vtable: RawWakerVTable = {
        clone: (d) => new RawWaker(d, vtable),
        wake: () => {
          if (what === "wake") throw new Error("the old waker's wake failed");
        },
        wakeByRef: () => {},
        drop: () => {
          if (what === "drop") throw new Error("the old waker's drop failed");
        },
      };
      return Waker.fromRaw(new RawWaker(data, vtable));
    };
    const quiet = new AtomicWaker();
    quiet.register(throwing("drop"));
    const next = wakerFn();
    expect(() => quiet.register(next.waker), "replacing a waker whose drop throws").not.toThrow();
    quiet.wake();
    expect(plain(next.stats), "the new waker was stored, then woken").toEqual({ refs: 1, wakes: 1 });

    const racing = new AtomicWaker();
    racing.register(throwing("wake"));
    const fresh = hooked(() => racing.wake());
    expect(() => racing.register(fresh.waker), "a racing wake reaching a waker whose wake throws").not.toThrow();
    expect(fresh.stats.wakes, "the new waker is still woken").toBe(1);
    expect(racing.take(), "the slot is empty after the race").toBeNull();
  });
});
