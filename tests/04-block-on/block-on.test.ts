/**
 * Hidden suite of chapter 04: the parker (token semantics, timeouts under fake timers, its waker) and blockOn
 * (no spurious polls, coalesced wakes, wakes from anywhere, errors, idleness). No test measures time.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Waker, type Context } from "#kata/03-waker";
import { Pending, countdown, ready, type Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Parker, blockOn } from "#kata/04-block-on";
import { Scripted, Throwing } from "../_support/01-poll.ts";

const PARKED_TWICE = "Parker.park called while already parked";

/** One macrotask turn of Node's event loop (real timers). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets pending microtasks run (a resolved promise settles within a few of them), without a macrotask. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Watches a promise: `settled()` tells whether it has settled so far. */
function watch(p: Promise<unknown>): { settled: () => boolean } {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  return { settled: () => done };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Task 1: Park and unpark", () => {
  it("an unpark before the park is a token: the park returns at once, without a macrotask", async () => {
    const p = new Parker();
    p.unpark();
    const w = watch(p.park());
    await microtasks();
    expect(w.settled(), "park() with a token settles within microtasks").toBe(true);
  });

  it("a park without a token waits for the next unpark, from another macrotask", async () => {
    const p = new Parker();
    const w = watch(p.park());
    for (let i = 0; i < 5; i++) await turn();
    expect(w.settled(), "nothing unparked it yet").toBe(false);
    setImmediate(() => p.unpark());
    await turn();
    await microtasks();
    expect(w.settled(), "the unpark from another macrotask resolved it").toBe(true);
  });

  it("many unparks before a park are one token: the second park waits", async () => {
    const p = new Parker();
    p.unpark();
    p.unpark();
    p.unpark();
    await p.park();
    const w = watch(p.park());
    await turn();
    expect(w.settled(), "there was only one token").toBe(false);
    p.unpark();
    await microtasks();
    expect(w.settled(), "w.settled()").toBe(true);
  });

  it("unparks that release a pending park are one notification, consumed by that park: no token is left", async () => {
    const p = new Parker();
    const first = p.park();
    p.unpark();
    p.unpark(); // before the parked code resumes: the same notification
    await first;
    const w = watch(p.park());
    await turn();
    expect(w.settled(), "the unpark was spent on the first park").toBe(false);
    p.unpark();
    await microtasks();
    expect(w.settled(), "w.settled()").toBe(true);
  });

  it("parking while a park is pending throws synchronously", async () => {
    const p = new Parker();
    const first = p.park();
    expect(() => p.park()).toThrow(PARKED_TWICE);
    expect(() => p.parkTimeout(10)).toThrow(PARKED_TWICE);
    p.unpark();
    await first;
    p.unpark();
    await expect(p.park(), "the parker still works after the misuse").resolves.toBeUndefined();
  });

  it("a park released by an unpark is pending until its promise settles: a park in that window throws", async () => {
    // Otherwise the second park would take the notification, and the first one's settling would then erase the
    // token of a later unpark: a lost wake-up.
    const p = new Parker();
    const first = p.park();
    p.unpark();
    expect(() => p.park(), "a park() before the released park has settled").toThrow(PARKED_TWICE);
    await first;
    p.unpark();
    await expect(p.park(), "the later unpark's token is still there").resolves.toBeUndefined();
  });
});

describe("Task 2: Park with a timeout", () => {
  it("parkTimeout resolves when the time has passed, and leaves no timer armed", async () => {
    vi.useFakeTimers();
    const p = new Parker();
    const w = watch(p.parkTimeout(100));
    await vi.advanceTimersByTimeAsync(99);
    expect(w.settled(), "at 99 ms of 100").toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.settled(), "at 100 ms").toBe(true);
    expect(vi.getTimerCount(), "timers left armed").toBe(0);
  });

  it("an unpark before the deadline resolves it at once and clears its timer", async () => {
    vi.useFakeTimers();
    const p = new Parker();
    const w = watch(p.parkTimeout(1_000));
    expect(vi.getTimerCount(), "parkTimeout arms one timer").toBe(1);
    p.unpark();
    await microtasks();
    expect(w.settled(), "w.settled()").toBe(true);
    expect(vi.getTimerCount(), "the unpark cleared the timer").toBe(0);
  });

  it("a timeout longer than Node's timers hold (2^31-1 ms) does not fire after 1 ms: the park still waits", async () => {
    vi.useFakeTimers();
    const p = new Parker();
    const w = watch(p.parkTimeout(2 ** 31 + 1_000));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.settled(), "parkTimeout(2^31 + 1000 ms) had settled after 60 s (a delay above 2^31-1 ms fires after 1 ms: cap it)").toBe(false);
    p.unpark();
    await microtasks();
    expect(w.settled(), "the unpark ends the park").toBe(true);
    expect(vi.getTimerCount(), "timers left armed").toBe(0);
  });

  it("with a token, parkTimeout returns at once and arms no timer", async () => {
    vi.useFakeTimers();
    const p = new Parker();
    p.unpark();
    const w = watch(p.parkTimeout(1_000));
    expect(vi.getTimerCount(), "vi.getTimerCount()").toBe(0);
    await microtasks();
    expect(w.settled(), "w.settled()").toBe(true);
  });

  it("parkTimeout(0) returns at once, arms no timer, and consumes a token if there is one", async () => {
    vi.useFakeTimers();
    const p = new Parker();
    const w = watch(p.parkTimeout(0));
    expect(vi.getTimerCount(), "parkTimeout(0) waits for nothing").toBe(0);
    await microtasks();
    expect(w.settled(), "w.settled()").toBe(true);
    p.unpark();
    await p.parkTimeout(0);
    const next = watch(p.park());
    await microtasks();
    expect(next.settled(), "parkTimeout(0) consumed the token").toBe(false);
    p.unpark();
    await microtasks();
    expect(next.settled(), "next.settled()").toBe(true);
  });

  it("a timeout leaves the parker empty; an unpark after it is a token for the next park", async () => {
    vi.useFakeTimers();
    const p = new Parker();
    const first = watch(p.parkTimeout(10));
    await vi.advanceTimersByTimeAsync(10);
    expect(first.settled(), "first.settled()").toBe(true);
    const second = watch(p.parkTimeout(50));
    await vi.advanceTimersByTimeAsync(20);
    expect(second.settled(), "the timeout left no token").toBe(false);
    p.unpark();
    await microtasks();
    expect(second.settled(), "second.settled()").toBe(true);
    p.unpark();
    const third = watch(p.park());
    await microtasks();
    expect(third.settled(), "an unpark after the timeouts is a token").toBe(true);
  });
});

describe("Task 3: A parker's waker", () => {
  it("wake and wakeByRef unpark the parker", async () => {
    const p = new Parker();
    const w1 = watch(p.park());
    p.waker().wakeByRef();
    await microtasks();
    expect(w1.settled(), "wakeByRef unparked it").toBe(true);
    const w2 = watch(p.park());
    p.waker().wake();
    await microtasks();
    expect(w2.settled(), "wake unparked it").toBe(true);
  });

  it("a wake before the park is a token", async () => {
    const p = new Parker();
    p.waker().clone().wake();
    const w = watch(p.park());
    await microtasks();
    expect(w.settled(), "w.settled()").toBe(true);
  });

  it("a parker's wakers and their clones willWake each other; another parker's do not; drop does not unpark", async () => {
    const p = new Parker();
    const a = p.waker();
    const b = p.waker().clone();
    expect(a.willWake(b), "two wakers of one parker").toBe(true);
    expect(a.willWake(new Parker().waker()), "wakers of two parkers").toBe(false);
    expect(a.willWake(Waker.noop())).toBe(false);
    b.drop();
    const w = watch(p.park());
    await turn();
    expect(w.settled(), "dropping a waker must not unpark").toBe(false);
    a.wake();
    await microtasks();
    expect(w.settled(), "w.settled()").toBe(true);
  });
});

interface Gate {
  open: boolean;
  waker: Waker | null;
  future: Scripted<string>;
}

/** A future that stores the waker on its first poll and is ready once `open` is true. */
function gate(): Gate {
  const g: Gate = {
    open: false,
    waker: null as Waker | null,
    future: new Scripted<string>((_n, cx: Context) => {
      g.waker ??= cx.waker.clone();
      return g.open ? "open" : Pending;
    }),
  };
  return g;
}

describe("Task 4: blockOn", () => {
  it("the first poll happens inside the call, and a ready future resolves the promise with its output", async () => {
    const f = new Scripted(() => 42);
    const promise = blockOn(f);
    expect(f.polls, "polled before blockOn returned").toBe(1);
    await expect(promise).resolves.toBe(42);
    expect(f.polls, "f.polls").toBe(1);
  });

  it("an idle blockOn polls nothing more: exactly one poll across many macrotask turns, and no timer", async () => {
    // a busy loop may never yield a macrotask turn: past 1,000 polls the future throws, which ends blockOn
    const f = new Scripted<number>((n) => {
      if (n > 1_000) throw new Error("polled 1,000 times without a wake");
      return Pending;
    });
    const w = watch(blockOn(f));
    for (let i = 0; i < 200; i++) await turn();
    expect(f.polls, "polls of a future that was never woken").toBe(1);
    expect(w.settled(), "w.settled()").toBe(false);
    vi.useFakeTimers();
    expect(vi.getTimerCount(), "an idle blockOn holds no timer").toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.polls, "still one poll after a minute of fake time").toBe(1);
  });

  it("a wake from another macrotask causes exactly one more poll", async () => {
    const g = gate();
    const w = watch(blockOn(g.future));
    await turn();
    expect(g.future.polls, "g.future.polls").toBe(1);
    setImmediate(() => g.waker!.wakeByRef());
    for (let i = 0; i < 10; i++) await turn();
    expect(g.future.polls, "one wake, one poll").toBe(2);
    g.open = true;
    setImmediate(() => g.waker!.wakeByRef());
    for (let i = 0; i < 3; i++) await turn();
    expect(w.settled(), "w.settled()").toBe(true);
    expect(g.future.polls, "g.future.polls").toBe(3);
  });

  it("many wakes before a poll coalesce into one poll", async () => {
    const g = gate();
    const w = watch(blockOn(g.future));
    await turn();
    for (let i = 0; i < 10; i++) g.waker!.wakeByRef();
    for (let i = 0; i < 10; i++) await turn();
    expect(g.future.polls, "ten wakes, then one poll").toBe(2);
    expect(w.settled(), "w.settled()").toBe(false);
  });

  it("a wake from inside poll is kept: blockOn(countdown(5)) polls 6 times and resolves with 6", async () => {
    let polls = 0;
    const c = countdown(5);
    const counted = new Scripted<number>((_n, cx) => {
      polls++;
      return c.poll(cx);
    });
    await expect(blockOn(counted)).resolves.toBe(6);
    expect(polls).toBe(6);
  });

  it("the future is polled with one context whose waker unparks this blockOn", async () => {
    const g = gate();
    const w = watch(blockOn(g.future));
    g.waker!.wakeByRef();
    g.open = true;
    await turn();
    expect(w.settled(), "w.settled()").toBe(true);
    const [first, second] = g.future.contexts;
    expect(second, "the same Context on every poll").toBe(first);
  });

  it("a wake after completion does not poll the future again", async () => {
    const g = gate();
    g.open = true;
    const f = g.future;
    await expect(blockOn(f)).resolves.toBe("open");
    g.waker!.wake();
    for (let i = 0; i < 5; i++) await turn();
    expect(f.polls, "a completed future is never polled again").toBe(1);
  });

  it("a future without [Symbol.dispose] (it is optional) that throws rejects with its own error", async () => {
    const boom = new Error("boom");
    const bare = { poll: () => { throw boom; } } as unknown as Future<number>;
    await expect(blockOn(bare), "the future's error, not a failed call to a missing dispose").rejects.toBe(boom);
  });

  it("an error thrown by poll rejects the promise with that error, and the future is disposed once", async () => {
    const boom = new Error("poll failed");
    const f = new Scripted<number>((n, cx) => {
      if (n === 3) throw boom;
      cx.waker.wakeByRef();
      return Pending;
    });
    await expect(blockOn(f)).rejects.toBe(boom);
    expect(f.polls, "f.polls").toBe(3);
    expect(f.disposed, "blockOn drops the future it abandons").toBe(1);
    const both = new Throwing<number>(boom, new Error("its dispose failed too"));
    await expect(blockOn(both), "a dispose that throws as well: still the poll's error").rejects.toBe(boom);
    expect(both.disposed, "both.disposed").toBe(1);
  });

  it("a throw in the first poll rejects the promise instead of throwing from the call", async () => {
    const boom = new Error("first poll");
    const f = new Scripted<number>(() => {
      throw boom;
    });
    let promise: Promise<number> | undefined;
    expect(() => {
      promise = blockOn(f);
    }, "blockOn must return a promise, not throw").not.toThrow();
    await expect(promise).rejects.toBe(boom);
    expect(f.disposed, "f.disposed").toBe(1);
  });

  it("two blockOns run side by side, each woken only by its own future's wakes", async () => {
    const a = gate();
    const b = gate();
    const wa = watch(blockOn(a.future));
    const wb = watch(blockOn(b.future));
    b.open = true;
    b.waker!.wakeByRef();
    for (let i = 0; i < 5; i++) await turn();
    expect(wb.settled(), "wb.settled()").toBe(true);
    expect(wa.settled(), "wa.settled()").toBe(false);
    expect(a.future.polls, "b's wake must not poll a").toBe(1);
    a.open = true;
    a.waker!.wake();
    await turn();
    expect(wa.settled(), "wa.settled()").toBe(true);
  });

  it("blockOn drives an async function across wakes from other macrotasks", async () => {
    const g = gate();
    const fut = asyncBlock(function* () {
      const x = yield* ready(1);
      const s = yield* g.future;
      const y = yield* countdown(2);
      return `${x} ${s} ${y}`;
    });
    const promise = blockOn(fut);
    setImmediate(() => {
      g.open = true;
      g.waker!.wake();
    });
    await expect(promise).resolves.toBe("1 open 3");
  });
});
