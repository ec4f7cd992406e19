/**
 * Hidden suite of chapter 05: simulated memory with moves, a self-referential future, Pin and Unpin, boxed and
 * stack pinning, projections.
 *
 * The type-level halves (`expectTypeOf`, `@ts-expect-error`) are checked by `tsc` over tests/ in both trees; each
 * sits inside a runtime test that also calls the chapter's code.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { Pending, pollFn, spin } from "#kata/01-poll";
import {
  Box,
  COUNT_POLLS,
  Memory,
  MemoryError,
  Pin,
  Ref,
  countPolls,
  hex,
  pin,
  pinned,
  pollCountPolls,
  pollReadLater,
  project,
  readLater,
  unpinned,
  type CountPolls,
  type IsUnpin,
  type MemoryErrorKind,
  type ReadLater,
  type Word,
} from "#kata/05-pin";
import { probe } from "../_support/poll.ts";

/** Runs `f` and returns the MemoryError it throws (failing the test if it throws anything else, or nothing). */
function memoryError(f: () => unknown, what: string): MemoryError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `${what}: expected a MemoryError`).toBeInstanceOf(MemoryError);
  return caught as MemoryError;
}

function expectKind(f: () => unknown, kind: MemoryErrorKind, what: string): MemoryError {
  const e = memoryError(f, what);
  expect(e.kind, `${what}: the kind of error`).toBe(kind);
  return e;
}

/** ReadLater's layout: [state, index, ptr, data...]; rustc's state numbers. */
const STATE = 0;
const PTR = 2;
const DATA = 3;
const UNRESUMED = 0;
const SUSPEND0 = 3;

describe("Task 1: Memory with moves", () => {
  it("alloc places words at a fresh address, and read/write work at every word", () => {
    const mem = new Memory();
    const a = mem.alloc([1, 2, 3]);
    const b = mem.alloc([9]);
    expect(a, "address 0 is null and never allocated").toBeGreaterThan(0);
    expect(b).not.toBe(a);
    expect([mem.read(a), mem.read(a + 1), mem.read(a + 2), mem.read(b)]).toEqual([1, 2, 3, 9]);
    mem.write(a + 1, 20);
    expect(mem.read(a + 1), "mem.read(a + 1)").toBe(20);
    expect(mem.read(b), "writing one value leaves the other alone").toBe(9);
  });

  it("move copies the words as they are (pointers included) to a fresh address", () => {
    const mem = new Memory();
    const a = mem.alloc([7, 0, 5]);
    mem.write(a + 1, a + 2); // a pointer into the value itself
    const b = mem.move(a);
    expect(b).not.toBe(a);
    expect([mem.read(b), mem.read(b + 1), mem.read(b + 2)], "a bitwise copy").toEqual([7, a + 2, 5]);
    expect(mem.read(b + 1), "the pointer still names the old place").toBe(a + 2);
  });

  it("any access to a moved-from value is a use after move that says where the value went", () => {
    const mem = new Memory();
    const a = mem.alloc([1, 2, 3]);
    const b = mem.move(a);
    const e = expectKind(() => mem.read(a + 2), "use-after-move", "read");
    expect(e.address, "e.address").toBe(a + 2);
    expect(e.message, "e.message").toBe(`use after move: ${hex(a + 2)} is in a value that was moved to ${hex(b)}`);
    expectKind(() => mem.write(a, 0), "use-after-move", "write");
    expectKind(() => mem.move(a), "use-after-move", "moving it again");
    expectKind(() => mem.free(a), "use-after-move", "freeing it");
    expect(mem.read(b + 2), "the new place is fine").toBe(3);
  });

  it("free: later accesses are uses after free, and so is freeing twice", () => {
    const mem = new Memory();
    const a = mem.alloc([4, 5]);
    mem.free(a);
    const e = expectKind(() => mem.read(a + 1), "use-after-free", "read after free");
    expect(e.message, "e.message").toBe(`use after free: ${hex(a + 1)} is in a value that was freed`);
    expectKind(() => mem.write(a, 1), "use-after-free", "write after free");
    expectKind(() => mem.free(a), "use-after-free", "double free");
    expectKind(() => mem.move(a), "use-after-free", "move after free");
  });

  it("addresses are never reused: a dead address stays dead after more allocations", () => {
    const mem = new Memory();
    const a = mem.alloc([1]);
    mem.free(a);
    const later = Array.from({ length: 50 }, (_, i) => mem.alloc([i]));
    expect(later, "no new value at the freed address").not.toContain(a);
    expectKind(() => mem.read(a), "use-after-free", "the freed address after 50 allocations");
  });

  it("invalid addresses: null, never allocated, past the end of a value, or not the start of one", () => {
    const mem = new Memory();
    const a = mem.alloc([1, 2]);
    const e = expectKind(() => mem.read(0), "invalid-address", "null");
    expect(e.message, "e.message").toBe(`invalid address: nothing was ever allocated at ${hex(0)}`);
    expectKind(() => mem.read(a + 1_000_000), "invalid-address", "far away");
    const past = expectKind(() => mem.read(a + 2), "invalid-address", "one past the end");
    expect(past.message, "past.message").toBe(`invalid address: ${hex(a + 2)} is past the end of the value at ${hex(a)}`);
    const inner = expectKind(() => mem.move(a + 1), "invalid-address", "moving from the middle of a value");
    expect(inner.message, "inner.message").toBe(`invalid address: ${hex(a + 1)} is not the start of a value`);
    expectKind(() => mem.free(a + 1), "invalid-address", "freeing from the middle");
    expect(mem.read(a + 1), "the value is untouched").toBe(2);
  });

  it("liveValues and isLive track what is alive", () => {
    const mem = new Memory();
    const a = mem.alloc([1, 2]);
    const b = mem.alloc([3]);
    expect(mem.liveValues, "mem.liveValues").toBe(2);
    const c = mem.move(a);
    expect(mem.liveValues, "a move ends one value and starts another").toBe(2);
    mem.free(b);
    expect(mem.liveValues, "mem.liveValues").toBe(1);
    const probes = { a, b, c, "c + 1": c + 1, "c + 2": c + 2, null: 0, "c + 0.5": c + 0.5 };
    const live = Object.fromEntries(Object.entries(probes).map(([name, addr]) => [name, mem.isLive(addr)]));
    expect(live, "isLive of each address").toEqual({
      a: false,
      b: false,
      c: true,
      "c + 1": true,
      "c + 2": false,
      null: false,
      "c + 0.5": false,
    });
  });

  it("Ref reads and writes at offsets, points at fields, and move() returns a Ref to the new place", () => {
    const mem = new Memory();
    const r = Ref.alloc<{ a: Word; b: Word }>(mem, [10, 20]);
    expect(r.memory, "r.memory").toBe(mem);
    expect([r.read(), r.read(1)]).toEqual([10, 20]);
    r.write(1, 21);
    const b = r.field<Word>(1);
    expect(b.address, "b.address").toBe(r.address + 1);
    expect(b.read(), "b.read()").toBe(21);
    const moved = r.move();
    expectTypeOf(moved).toEqualTypeOf<Ref<{ a: Word; b: Word }>>();
    expect(moved.address).not.toBe(r.address);
    expect(moved.read(1), "moved.read(1)").toBe(21);
    expectKind(() => r.read(), "use-after-move", "reading through the old Ref");
    expectKind(() => b.read(), "use-after-move", "reading through a field Ref of the old place");
  });
  it("a value of n words takes max(1, ceil(n / 16)) blocks: the next value starts at the next free block", () => {
    const m = new Memory();
    const big = m.alloc(Array.from({ length: 20 }, (_, i) => i)); // two blocks
    const empty = m.alloc([]); // one block all the same
    const small = m.alloc([7]);
    expect([big, empty, small].map((a) => a.toString(16)), "0x1000, then two blocks on, then one").toEqual(["1000", "1020", "1030"]);
    expect(m.read(big + 19), "the 20th word lives in the value's second block").toBe(19);
    expectKind(() => m.read(big + 20), "invalid-address", "past the end of a two-block value");
    expect(m.read(small), "m.read(small)").toBe(7);
  });
});

describe("Task 2: A self-referential future", () => {
  it("readLater places the unresumed state [UNRESUMED, index, 0, ...data] and runs nothing", () => {
    const mem = new Memory();
    const f = readLater(mem, [10, 20, 30], 1);
    expectTypeOf(f).toEqualTypeOf<Ref<ReadLater>>();
    expect([0, 1, 2, 3, 4, 5].map((i) => f.read(i))).toEqual([UNRESUMED, 1, 0, 10, 20, 30]);
    expect(mem.isLive(f.address + 6), "exactly 3 + data.length words").toBe(false);
    expect(() => readLater(mem, [1, 2], 2), "index out of bounds").toThrow(RangeError);
    expect(() => readLater(mem, [1, 2], -1)).toThrow(RangeError);
  });

  it("the first poll points ptr at data[index] inside the future, wakes by reference, and is Pending", () => {
    const mem = new Memory();
    const f = readLater(mem, [10, 20, 30], 2);
    const p = probe();
    expect(pollReadLater(Pin.newUnchecked(f), p.cx)).toBe(Pending);
    expect(f.read(STATE), "state after the first poll").toBe(SUSPEND0);
    expect(f.read(PTR), "ptr = &data[index], an address inside the future itself").toBe(f.address + DATA + 2);
    expect({ refs: p.stats.refs, wakes: p.stats.wakes }, "one wakeByRef, no clone").toEqual({ refs: 1, wakes: 1 });
  });

  it("the second poll reads through the pointer and completes; a third poll throws", () => {
    const mem = new Memory();
    const f = Pin.newUnchecked(readLater(mem, [10, 20, 30], 1));
    const p = probe();
    pollReadLater(f, p.cx);
    expect(pollReadLater(f, p.cx), "pollReadLater(f, p.cx)").toBe(20);
    expect(() => pollReadLater(f, p.cx)).toThrow("`async fn` resumed after completion");
  });

  it("the pointer is read when the future resumes: it sees data written meanwhile", () => {
    const mem = new Memory();
    const raw = readLater(mem, [1, 2, 3], 0);
    const f = Pin.newUnchecked(raw);
    const p = probe();
    pollReadLater(f, p.cx);
    raw.write(DATA, 99);
    expect(pollReadLater(f, p.cx), "*ptr, not a copy taken at the first poll").toBe(99);
  });

  it("moving it before the first poll is harmless: there is no pointer yet", () => {
    const mem = new Memory();
    const moved = readLater(mem, [10, 20, 30], 0).move();
    const f = Pin.newUnchecked(moved);
    const p = probe();
    expect([pollReadLater(f, p.cx), pollReadLater(f, p.cx)]).toEqual([Pending, 10]);
  });

  it("moving it between polls breaks it: the second poll reports a use after move through the stale pointer", () => {
    const mem = new Memory();
    const f = readLater(mem, [10, 20, 30], 1);
    const p = probe();
    pollReadLater(Pin.newUnchecked(f), p.cx);
    const moved = f.move(); // what Pin forbids: moving a future after it was polled
    const e = expectKind(() => pollReadLater(Pin.newUnchecked(moved), p.cx), "use-after-move", "second poll");
    expect(e.address, "the stale pointer: data[1] at the old place").toBe(f.address + DATA + 1);
    expect(e.message).toContain(hex(moved.address));
  });

  it("a poll that failed leaves the future poisoned: the next poll throws '`async fn` resumed after panicking'", () => {
    const mem = new Memory();
    const f = readLater(mem, [5], 0);
    const p = probe();
    pollReadLater(Pin.newUnchecked(f), p.cx);
    const moved = Pin.newUnchecked(f.move());
    expectKind(() => pollReadLater(moved, p.cx), "use-after-move", "the failing poll");
    expect(() => pollReadLater(moved, p.cx)).toThrow("`async fn` resumed after panicking");
  });
});

describe("Task 3: Pin and Unpin", () => {
  it("Pin.new pins a Ref to an Unpin value; getMut gives the same Ref back, and moving it is harmless", () => {
    const mem = new Memory();
    const counter = Ref.alloc<{ count: Word }>(mem, [3]);
    const p = Pin.new(counter);
    expectTypeOf(p).toEqualTypeOf<Pin<Ref<{ count: Word }>>>();
    const back = p.getMut();
    expect(back.address, "back.address").toBe(counter.address);
    expect(back.move().read(), "an Unpin value has no self-pointer to break").toBe(3);
  });

  it("Pin.new refuses a !Unpin value at compile time (at run time a Pin is only its pointer)", () => {
    const mem = new Memory();
    const f = readLater(mem, [1], 0);
    // @ts-expect-error ReadLater is !Unpin: Pin.new would let safe code move it after a poll
    const p = Pin.new(f);
    expect(p.address, "p.address").toBe(f.address);
  });

  it("Pin.newUnchecked pins anything; getUncheckedMut reaches it; getMut is refused for !Unpin", () => {
    const mem = new Memory();
    const f = readLater(mem, [1, 2], 1);
    const p = Pin.newUnchecked(f);
    expectTypeOf(p).toEqualTypeOf<Pin<Ref<ReadLater>>>();
    // @ts-expect-error getMut would hand out the Ref, and with it the right to move the future
    const leaked = p.getMut();
    expect(leaked.address, "at run time the check does not exist, as in Rust").toBe(f.address);
    const r = p.getUncheckedMut();
    expectTypeOf(r).toEqualTypeOf<Ref<ReadLater>>();
    expect(r.address, "r.address").toBe(f.address);
    expect(p.address, "address: where the pinned value lives").toBe(f.address);
  });

  it("breaking newUnchecked's promise is caught: the pinned place itself is moved-from", () => {
    const mem = new Memory();
    const f = readLater(mem, [1, 2], 1);
    const pinnedF = Pin.newUnchecked(f);
    const p = probe();
    pollReadLater(pinnedF, p.cx);
    f.move(); // the caller promised not to
    expectKind(() => pollReadLater(pinnedF, p.cx), "use-after-move", "polling through the broken pin");
  });

  it("Unpin is structural: a !Unpin field makes a struct !Unpin; behind a pointer it does not", () => {
    expectTypeOf<IsUnpin<Word>>().toEqualTypeOf<true>();
    expectTypeOf<IsUnpin<{ a: Word; b: Word }>>().toEqualTypeOf<true>();
    expectTypeOf<IsUnpin<ReadLater>>().toEqualTypeOf<false>();
    expectTypeOf<IsUnpin<CountPolls>>().toEqualTypeOf<false>();
    expectTypeOf<IsUnpin<{ boxed: Box<ReadLater> }>>().toEqualTypeOf<true>();
    expectTypeOf<IsUnpin<{ r: Ref<ReadLater> }>>().toEqualTypeOf<true>();
    const mem = new Memory();
    const boxed = Box.new(readLater(mem, [4], 0));
    const holder = Ref.alloc<{ boxed: Box<ReadLater> }>(mem, [boxed.address]);
    const p = Pin.new(holder); // fine: a place holding a pointer can move
    expect(p.getMut().move().read(), "the moved holder still holds the box's address").toBe(boxed.address);
    // @ts-expect-error a Box of a !Unpin value cannot be pinned with Pin.new either
    void Pin.new(Box.new(readLater(mem, [5], 0)));
  });
});

describe("Task 4: Pinning on the heap and on the stack", () => {
  it("Box.pin moves the value into an allocation of its own, once; the old place is moved-from", () => {
    const mem = new Memory();
    const f = readLater(mem, [10, 20], 1);
    const boxed = Box.pin(f);
    expectTypeOf(boxed).toEqualTypeOf<Pin<Box<ReadLater>>>();
    expect(boxed.address).not.toBe(f.address);
    expectKind(() => f.read(), "use-after-move", "the place the value was boxed from");
    expect(mem.liveValues, "one value: the boxed future").toBe(1);
  });

  it("asMut gives a Pin<Ref<T>> at the box's address, for each poll; the future completes", () => {
    const mem = new Memory();
    const boxed = Box.pin(readLater(mem, [10, 20], 1));
    const p = probe();
    const first = boxed.asMut();
    expectTypeOf(first).toEqualTypeOf<Pin<Ref<ReadLater>>>();
    expect(first.address, "first.address").toBe(boxed.address);
    expect([pollReadLater(first, p.cx), pollReadLater(boxed.asMut(), p.cx)]).toEqual([Pending, 20]);
  });

  it("a run queue that moves futures inline breaks them; one that moves Pin<Box> handles does not", () => {
    const mem = new Memory();
    const p = probe();
    // Inline: the queue stores the future itself, and requeueing moves it (like a Vec that grows).
    let inline = readLater(mem, [1, 2, 3], 2);
    pollReadLater(Pin.newUnchecked(inline), p.cx);
    inline = inline.move();
    expectKind(() => pollReadLater(Pin.newUnchecked(inline), p.cx), "use-after-move", "the inline future");
    // Boxed: the queue stores a handle; the future stays where Box.pin put it (what tokio::spawn does).
    const queue = [Box.pin(readLater(mem, [1, 2, 3], 2))];
    pollReadLater(queue[0]!.asMut(), p.cx);
    queue.push(queue.shift()!); // moving the handle moves nothing in memory
    expect(pollReadLater(queue[0]!.asMut(), p.cx)).toBe(3);
  });

  it("a boxed future is a Future for chapter 01's spin: 2 polls, 1 wasted", () => {
    const mem = new Memory();
    const boxed = Box.pin(readLater(mem, [7, 8, 9], 0));
    const report = spin(pollFn((cx) => pollReadLater(boxed.asMut(), cx)));
    expect(report).toEqual({ output: 7, polls: 2, wasted: 1 });
  });

  it("dropping a pinned box frees the value in place: pointers into it are then uses after free", () => {
    const mem = new Memory();
    const boxed = Box.pin(readLater(mem, [1, 2], 0));
    const p = probe();
    pollReadLater(boxed.asMut(), p.cx);
    const stale = boxed.asMut();
    boxed.drop();
    expect(mem.liveValues, "mem.liveValues").toBe(0);
    expectKind(() => pollReadLater(stale, p.cx), "use-after-free", "polling a dropped future");
  });

  it("Box.new and asMut: an owned allocation whose address does not change", () => {
    const mem = new Memory();
    const r = Ref.alloc<{ x: Word }>(mem, [42]);
    const b = Box.new(r);
    expectTypeOf(b).toEqualTypeOf<Box<{ x: Word }>>();
    expect(b.asMut().address, "b.asMut().address").toBe(b.address);
    expect(b.asMut().read()).toBe(42);
    b.drop();
    expectKind(() => b.asMut().read(), "use-after-free", "reading a dropped box");
  });

  it("pin() pins a value in a place of its own: the old Ref is moved-from, the pin works across polls", () => {
    const mem = new Memory();
    const f = readLater(mem, [5, 6], 1);
    const pinnedF = pin(f);
    expectTypeOf(pinnedF).toEqualTypeOf<Pin<Ref<ReadLater>>>();
    expect(pinnedF.address).not.toBe(f.address);
    expectKind(() => f.read(), "use-after-move", "the binding pin() took the value from");
    const p = probe();
    expect([pollReadLater(pinnedF, p.cx), pollReadLater(pinnedF, p.cx)]).toEqual([Pending, 6]);
  });
});

describe("Task 5: Projections", () => {
  it("pinned(offset) and unpinned(offset) describe fields; mapUnchecked pins the field at that offset", () => {
    expect(pinned(3), "pinned(3)").toEqual({ offset: 3, pinned: true });
    expect(unpinned(0), "unpinned(0)").toEqual({ offset: 0, pinned: false });
    const mem = new Memory();
    const c = countPolls(mem, [1, 2], 0);
    const inner = Pin.newUnchecked(c).mapUnchecked<ReadLater>(1);
    expectTypeOf(inner).toEqualTypeOf<Pin<Ref<ReadLater>>>();
    expect(inner.address, "inner.address").toBe(c.address + 1);
  });

  it("project gives Pin<Ref<F>> for pinned fields and a plain Ref<F> for the others", () => {
    const mem = new Memory();
    const c = countPolls(mem, [1, 2], 0);
    const { polls, inner } = project(Pin.newUnchecked(c), COUNT_POLLS);
    expectTypeOf(polls).toEqualTypeOf<Ref<Word>>();
    expectTypeOf(inner).toEqualTypeOf<Pin<Ref<ReadLater>>>();
    expect(polls).toBeInstanceOf(Ref);
    expect(inner).toBeInstanceOf(Pin);
    expect([polls.address, inner.address]).toEqual([c.address, c.address + 1]);
    // @ts-expect-error a structurally pinned field is not handed out as a movable Ref
    expect(inner.getMut().address, "inner.getMut().address").toBe(c.address + 1);
  });

  it("countPolls lays out [polls = 0, ...readLater words]", () => {
    const mem = new Memory();
    const c = countPolls(mem, [10, 20], 1);
    expectTypeOf(c).toEqualTypeOf<Ref<CountPolls>>();
    expect([0, 1, 2, 3, 4, 5].map((i) => c.read(i))).toEqual([0, UNRESUMED, 1, 0, 10, 20]);
    expect(() => countPolls(mem, [10], 1)).toThrow(RangeError);
  });

  it("pollCountPolls counts polls in the unpinned field and polls the pinned inner future", () => {
    const mem = new Memory();
    const c = countPolls(mem, [10, 20, 30], 2);
    const p = probe();
    const self = Pin.newUnchecked(c);
    expect(pollCountPolls(self, p.cx), "pollCountPolls(self, p.cx)").toBe(Pending);
    expect(c.read(0), "polls after one poll").toBe(1);
    expect(c.read(1 + PTR), "the inner future points into its own data").toBe(c.address + 1 + DATA + 2);
    expect(pollCountPolls(self, p.cx), "pollCountPolls(self, p.cx)").toEqual([30, 2]);
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
  });

  it("a CountPolls is !Unpin like its inner future: moved between polls it breaks, boxed it works", () => {
    const mem = new Memory();
    const p = probe();
    const c = countPolls(mem, [1, 2], 1);
    // @ts-expect-error CountPolls contains a ReadLater, so it is !Unpin
    void Pin.new(c);
    pollCountPolls(Pin.newUnchecked(c), p.cx);
    const moved = c.move();
    expectKind(() => pollCountPolls(Pin.newUnchecked(moved), p.cx), "use-after-move", "the moved CountPolls");
    const boxed = Box.pin(countPolls(mem, [1, 2], 1));
    expect([pollCountPolls(boxed.asMut(), p.cx), pollCountPolls(boxed.asMut(), p.cx)]).toEqual([Pending, [2, 2]]);
  });
});
