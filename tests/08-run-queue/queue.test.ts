/**
 * Hidden suite of chapter 08, Tasks 1-4: the packed head, push and pop, overflow, steal.
 *
 * The queue's memory layout is part of the contract (README, "The queue in memory"), so these tests read and
 * write the words directly: to check what an operation left behind, and to stage states a single thread cannot
 * reach by itself (a stealer caught half-way, positions near 2^16). Expected words are computed here with plain
 * arithmetic, never with the learner's `pack`.
 */
import { describe, expect, it } from "vitest";
import { Inject } from "#kata/07-current-thread";
import {
  BUFFER,
  HEAD,
  Local,
  Steal,
  TAIL,
  len,
  local,
  pack,
  realHalf,
  stealHalf,
  type Overflow,
  type Stats,
} from "#kata/08-run-queue";

/** The head word for the given halves, computed independently of the code under test. */
const head = (steal: number, real: number) => (((steal & 0xffff) * 0x10000) + (real & 0xffff)) >>> 0;

const words = (q: Local | Steal) => new Uint32Array(q.buffer);
const stats = (): Stats => ({ stealCount: 0, stealOperations: 0, overflowCount: 0 });

/** An overflow that records single pushes and batches (copied, since the queue lends its batch array). */
class RecordingOverflow implements Overflow {
  readonly single: number[] = [];
  readonly batches: number[][] = [];
  push(task: number): void {
    this.single.push(task);
  }
  pushBatch(tasks: Iterable<number>): void {
    this.batches.push([...tasks]);
  }
}

/** Stages a queue whose head and tail sit at the given positions, its slots filled with `first`, `first+1`, ... */
function staged(steal: number, real: number, tail: number, first = 1000): [Steal, Local] {
  const [s, l] = local();
  const w = words(l);
  w[HEAD] = head(steal, real);
  w[TAIL] = tail & 0xffff;
  for (let p = steal, i = 0; p !== tail; p = (p + 1) & 0xffff, i++) w[BUFFER + (p & 255)] = first + i;
  return [s, l];
}

function fill(l: Local, from: number, to: number, overflow: Overflow = new RecordingOverflow(), st = stats()): void {
  for (let i = from; i < to; i++) l.pushBackOrOverflow(i, overflow, st);
}

function drain(l: Local): number[] {
  const out: number[] = [];
  for (let t = l.pop(); t !== undefined; t = l.pop()) out.push(t);
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("Task 1: The packed head", () => {
  it("pack puts the steal half in the high 16 bits and the real half in the low 16 bits", () => {
    expect(pack(1, 2), "pack(1, 2)").toBe(0x0001_0002);
    expect(pack(0xffff, 0), "pack(0xffff, 0) is a non-negative u32").toBe(0xffff_0000);
    expect(pack(7, 7), "pack(7, 7)").toBe(head(7, 7));
  });

  it("pack takes each half modulo 2^16, so position arithmetic can overflow freely", () => {
    expect(pack(0x1_0003, 0x2_0004), "pack(0x10003, 0x20004)").toBe(head(3, 4));
    expect(pack(-1, 65_536), "pack(-1, 65536)").toBe(head(0xffff, 0));
  });

  it("stealHalf and realHalf take a head word apart", () => {
    for (const [s, r] of [
      [0, 0],
      [3, 9],
      [0xffff, 0xfffe],
      [0x8000, 1],
    ] as const) {
      expect([stealHalf(head(s, r)), realHalf(head(s, r))], `halves of head(${s}, ${r})`).toEqual([s, r]);
    }
  });

  it("len counts the positions from head to tail modulo 2^16", () => {
    expect(len(10, 14), "len(10, 14)").toBe(4);
    expect(len(0xfffe, 2), "across the wrap: 0xfffe -> 2").toBe(4);
    expect(len(5, 5), "len(5, 5)").toBe(0);
  });

  it("a fresh queue is empty, with every slot free", () => {
    const [s, l] = local();
    expect({ len: l.len(), remaining: l.remainingSlots(), max: l.maxCapacity(), has: l.hasTasks() }).toEqual({
      len: 0,
      remaining: 256,
      max: 256,
      has: false,
    });
    expect({ len: s.len(), empty: s.isEmpty() }).toEqual({ len: 0, empty: true });
  });

  it("len counts from the real half; remainingSlots counts from the steal half", () => {
    // A stealer claimed positions 10..19 and is still copying them; 20..29 are the queue's tasks.
    const [s, l] = staged(10, 20, 30);
    expect(l.len(), "len: tail - real").toBe(10);
    expect(l.remainingSlots(), "remainingSlots: 256 - (tail - steal)").toBe(236);
    expect(s.len(), "Steal.len reads the same words").toBe(10);
    expect(l.hasTasks(), "l.hasTasks()").toBe(true);
  });

  it("lengths are right across the 2^16 wrap", () => {
    const [s, l] = staged(0xfff0, 0xfff0, 0x0005);
    expect(l.len(), "from 0xfff0 to 0x0005").toBe(21);
    expect(l.remainingSlots(), "l.remainingSlots()").toBe(235);
    expect(s.isEmpty(), "s.isEmpty()").toBe(false);
  });
});

describe("Task 2: Push and pop", () => {
  it("pop returns tasks in the order they were pushed, then undefined", () => {
    const [, l] = local();
    fill(l, 1, 101);
    expect(drain(l), "drain(l)").toEqual(range(1, 101));
    expect(l.pop(), "an empty queue pops undefined").toBeUndefined();
  });

  it("a push writes slot tail & 255 and stores tail + 1; nothing else moves", () => {
    const [, l] = local();
    const w = words(l);
    w[HEAD] = head(300, 300);
    w[TAIL] = 300;
    l.pushBackOrOverflow(77, new RecordingOverflow(), stats());
    expect({ slot: w[BUFFER + (300 & 255)], tail: w[TAIL], head: w[HEAD] }).toEqual({
      slot: 77,
      tail: 301,
      head: head(300, 300),
    });
  });

  it("with no stealer at work, pop moves both halves of the head", () => {
    const [, l] = local();
    fill(l, 0, 5);
    l.pop();
    l.pop();
    expect(words(l)[HEAD], "head after two pops").toBe(head(2, 2));
  });

  it("while a stealer is at work, pop moves only the real half", () => {
    const [, l] = staged(4, 8, 12);
    expect(l.pop(), "the task at position 8").toBe(1004);
    expect(words(l)[HEAD], "head: steal stays at 4, real goes to 9").toBe(head(4, 9));
  });

  it("task indices are full u32 values", () => {
    const [, l] = local();
    const values = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff];
    for (const v of values) l.pushBackOrOverflow(v, new RecordingOverflow(), stats());
    expect(drain(l), "drain(l)").toEqual(values);
  });

  it("pushBack pushes a batch in order, and only `count` of it", () => {
    const [, l] = local();
    l.pushBack([5, 6, 7]);
    l.pushBack([8, 9, 10, 11], 2);
    expect(drain(l), "drain(l)").toEqual([5, 6, 7, 8, 9]);
  });

  it("pushBack throws when the batch does not fit, and pushes nothing", () => {
    const [, l] = local();
    fill(l, 0, 200);
    expect(() => l.pushBack(range(0, 57)), "57 tasks into 56 free slots").toThrow();
    expect(l.len(), "nothing was pushed").toBe(200);
    l.pushBack(range(0, 56));
    expect(l.len(), "56 tasks fit exactly").toBe(256);
  });

  it("positions wrap past 2^16: a queue staged at 0xfff0 keeps its order", () => {
    const [, l] = staged(0xfff0, 0xfff0, 0xfff0);
    fill(l, 0, 40);
    expect(words(l)[TAIL], "tail wrapped to 0x0018").toBe(0x18);
    expect(drain(l), "drain(l)").toEqual(range(0, 40));
    expect(words(l)[HEAD], "words(l)[HEAD]").toBe(head(0x18, 0x18));
  });

  it("70,000 pushes and pops carry the positions around the 2^16 wrap", () => {
    const [, l] = local();
    const overflow = new RecordingOverflow();
    let next = 0;
    let expected = 0;
    while (next < 70_000) {
      fill(l, next, next + 100, overflow);
      next += 100;
      for (let i = 0; i < 100; i++) {
        const t = l.pop();
        if (t !== expected) throw new Error(`pop ${expected}: got ${t}`);
        expected++;
      }
    }
    expect(overflow.single.length + overflow.batches.length, "never full, never overflowed").toBe(0);
    expect(words(l)[TAIL], "tail = 70000 mod 2^16").toBe(70_000 - 65_536);
  });
});

describe("Task 3: Overflow", () => {
  it("the 257th push moves the newest 128 and the new task to the overflow, oldest first", () => {
    const [, l] = local();
    const overflow = new RecordingOverflow();
    const st = stats();
    fill(l, 0, 257, overflow, st);
    expect(overflow.batches, "one batch: 128..255 then 256").toEqual([range(128, 257)]);
    expect(overflow.single, "no single pushes").toEqual([]);
    expect(st.overflowCount, "overflowCount").toBe(1);
    expect(drain(l), "the oldest half stays, in order").toEqual(range(0, 128));
  });

  it("after an overflow the head has jumped to the old tail and the tail is 128 beyond it", () => {
    const [, l] = local();
    fill(l, 0, 257);
    // Positions 256..383 now name the slots 0..127, which still hold the oldest tasks.
    expect({ head: words(l)[HEAD], tail: words(l)[TAIL] }).toEqual({ head: head(256, 256), tail: 384 });
  });

  it("a full queue with a stealer at work sends only the new task to the overflow", () => {
    // A stealer claimed 0..9 (steal 0, real 10); the ring is full from steal's point of view.
    const [, l] = staged(0, 10, 256);
    const overflow = new RecordingOverflow();
    const st = stats();
    l.pushBackOrOverflow(9999, overflow, st);
    expect(overflow.single, "the new task alone").toEqual([9999]);
    expect(overflow.batches, "overflow.batches").toEqual([]);
    expect(st.overflowCount, "not counted as an overflow").toBe(0);
    expect({ head: words(l)[HEAD], tail: words(l)[TAIL] }, "the queue is untouched").toEqual({
      head: head(0, 10),
      tail: 256,
    });
  });

  it("the inject queue of chapter 07 is an overflow: it gives the tasks back in FIFO order", () => {
    const [, l] = local();
    const inject = new Inject<number>();
    const st = stats();
    for (let i = 0; i < 600; i++) l.pushBackOrOverflow(i, inject, st);
    const fromQueue = drain(l);
    const fromInject: number[] = [];
    for (let t = inject.pop(); t !== undefined; t = inject.pop()) fromInject.push(t);
    expect(st.overflowCount, "600 pushes overflow at the 257th, 386th and 515th").toBe(3);
    expect(fromInject.length + fromQueue.length, "nothing lost").toBe(600);
    expect([...fromQueue, ...fromInject].sort((a, b) => a - b)).toEqual(range(0, 600));
    expect(fromInject.slice(0, 129), "the first overflow, in order").toEqual(range(128, 257));
  });

  it("an overflow across the 2^16 wrap takes the right slots", () => {
    const [, l] = staged(0xffc0, 0xffc0, 0xffc0);
    const overflow = new RecordingOverflow();
    fill(l, 0, 257, overflow);
    expect(overflow.batches, "overflow.batches").toEqual([range(128, 257)]);
    expect(drain(l), "drain(l)").toEqual(range(0, 128));
  });
});

describe("Task 4: Steal half", () => {
  it("stealing from 10 tasks takes 5: the oldest five, the newest of them returned to run", () => {
    const [s, src] = local();
    const [, dst] = local();
    fill(src, 0, 10);
    const st = stats();
    expect(s.stealInto(dst, st), "returns the newest stolen task").toBe(4);
    expect(drain(dst), "the other four are in dst, in order").toEqual([0, 1, 2, 3]);
    expect(drain(src), "the victim keeps its newest half").toEqual([5, 6, 7, 8, 9]);
  });

  it("the steal takes half rounded up", () => {
    for (const [n, taken] of [
      [1, 1],
      [2, 1],
      [7, 4],
      [255, 128],
      [256, 128],
    ] as const) {
      const [s, src] = local();
      const [, dst] = local();
      fill(src, 0, n);
      const st = stats();
      s.stealInto(dst, st);
      expect({ n, stolen: st.stealCount, left: src.len(), inDst: dst.len() }, `stealing from ${n}`).toEqual({
        n,
        stolen: taken,
        left: n - taken,
        inDst: taken - 1,
      });
    }
  });

  it("a steal counts the tasks and one operation on the thief's stats", () => {
    const [s, src] = local();
    const [, dst] = local();
    fill(src, 0, 40);
    const st = stats();
    s.stealInto(dst, st);
    s.stealInto(dst, st);
    expect(st, "20 stolen, then 10 more (dst held 19, under half)").toEqual({
      stealCount: 30,
      stealOperations: 2,
      overflowCount: 0,
    });
  });

  it("stealing from an empty queue returns undefined and counts nothing", () => {
    const [s] = local();
    const [, dst] = local();
    const st = stats();
    expect(s.stealInto(dst, st)).toBeUndefined();
    expect(st).toEqual(stats());
    expect(words(dst)[TAIL], "words(dst)[TAIL]").toBe(0);
  });

  it("a finished steal leaves the victim's halves equal again", () => {
    const [s, src] = staged(100, 100, 112);
    const [, dst] = local();
    s.stealInto(dst, stats());
    expect(words(src)[HEAD], "head(106, 106)").toBe(head(106, 106));
    expect(drain(dst).length, "drain(dst).length").toBe(5);
  });

  it("gives up when another stealer is at work on the victim", () => {
    const [s, src] = staged(0, 4, 20);
    const [, dst] = local();
    const st = stats();
    expect(s.stealInto(dst, st)).toBeUndefined();
    expect(words(src)[HEAD], "the victim's head is untouched").toBe(head(0, 4));
    expect(st.stealOperations, "st.stealOperations").toBe(0);
  });

  it("gives up when the thief's own queue holds more than half its capacity", () => {
    const [s, src] = local();
    fill(src, 0, 50);
    const [, full] = local();
    fill(full, 1000, 1129);
    expect(s.stealInto(full, stats()), "dst holds 129").toBeUndefined();
    expect(src.len(), "nothing taken").toBe(50);
    const [, half] = local();
    fill(half, 1000, 1128);
    expect(s.stealInto(half, stats()), "dst holds exactly 128: the steal goes ahead").toBe(24);
    expect(half.len(), "half.len()").toBe(128 + 24);
  });

  it("counts the thief's own queue from its steal half: slots a stealer is copying are not free", () => {
    const [s, src] = local();
    fill(src, 0, 10);
    // dst looks empty to its owner (real = tail) but another worker is still copying 200 tasks out of it.
    const [, dst] = staged(0, 200, 200);
    expect(s.stealInto(dst, stats())).toBeUndefined();
    expect(src.len(), "src.len()").toBe(10);
  });

  it("a steal of one task returns it without publishing anything in dst", () => {
    const [s, src] = local();
    fill(src, 41, 42);
    const [, dst] = staged(500, 500, 500);
    expect(s.stealInto(dst, stats())).toBe(41);
    expect(words(dst)[TAIL], "dst's tail unchanged").toBe(500);
  });

  it("a steal copies across the wrap of both rings", () => {
    const [s, src] = staged(0xfff8, 0xfff8, 0x0008, 100);
    const [, dst] = staged(0xfffd, 0xfffd, 0xfffd);
    expect(s.stealInto(dst, stats()), "8 of 16 stolen; the 8th returned").toBe(107);
    expect(drain(dst), "drain(dst)").toEqual(range(100, 107));
    expect(drain(src), "drain(src)").toEqual(range(108, 116));
  });

  it("a seeded random mix of pushes, pops and steals between three queues loses and duplicates nothing", () => {
    // The owner of each queue is this thread, so the operations are whole; the mix runs past 2^16 positions.
    let state = 0x1234_5678;
    const next = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state >>> 8;
    };
    const queues = [local(), local(), local()];
    const overflow = new Inject<number>();
    const st = stats();
    const taken = new Uint8Array(150_000);
    let pushed = 0;
    let takenCount = 0;
    const take = (t: number | undefined) => {
      if (t === undefined) return;
      if (taken[t] !== 0) throw new Error(`task ${t} taken twice`);
      taken[t] = 1;
      takenCount++;
    };
    while (pushed < 150_000) {
      const op = next() % 10;
      const q = next() % 3;
      const [, l] = queues[q]!;
      if (op < 5) l.pushBackOrOverflow(pushed++, overflow, st);
      else if (op < 8) take(l.pop());
      else take(queues[(q + 1) % 3]![0].stealInto(l, st));
    }
    for (const [, l] of queues) for (let t = l.pop(); t !== undefined; t = l.pop()) take(t);
    for (let t = overflow.pop(); t !== undefined; t = overflow.pop()) take(t);
    expect(takenCount, "every pushed task taken exactly once").toBe(150_000);
    expect(st.stealOperations, "steals happened").toBeGreaterThan(0);
    expect(st.overflowCount, "overflows happened").toBeGreaterThan(0);
  });
});
