/**
 * Tasks 1 and 2: the batch semaphore, and the Semaphore and Mutex built on it.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { budget, budgetRemaining, yieldNow } from "#kata/14-blocking";
import { spendBudget } from "../_support/14-blocking.ts";
import { AcquireError, BatchSemaphore, MAX_PERMITS, Mutex, Semaphore, TryAcquireError, TryLockError } from "#kata/16-channels";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { onRuntime, thrownAs } from "../_support/16-channels.ts";

describe("Task 1: The batch semaphore", () => {
  it("acquire completes at its first poll when enough permits are available, and takes them", () => {
    const sem = new BatchSemaphore(3);
    const p = probe();
    expect(p.poll(sem.acquire(2)), "enough permits: ready at once").toBeUndefined();
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(1);
    expect(p.poll(sem.acquire(1))).toBeUndefined();
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(0);
    expect(p.stats, "a ready acquire neither wakes nor keeps the waker").toMatchObject({ refs: 1, wakes: 0 });
  });

  it("a short acquire keeps what there is, waits, and is woken once when release brings the rest", () => {
    const sem = new BatchSemaphore(1);
    const p = probe();
    const a = sem.acquire(3);
    expect(p.poll(a), "p.poll(a)").toBe(Pending);
    expect(sem.availablePermits(), "the one permit was granted to the waiter").toBe(0);
    sem.release(1);
    expect(p.stats.wakes, "still one short: not woken").toBe(0);
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(0);
    sem.release(1);
    expect(p.stats.wakes, "all three granted: woken once").toBe(1);
    expect(p.poll(a)).toBeUndefined();
    expect(sem.availablePermits(), "nothing left over").toBe(0);
  });

  it("waiters are served strictly in order: a big request at the head holds back smaller ones behind it", () => {
    const sem = new BatchSemaphore(0);
    const pa = probe();
    const pb = probe();
    const a = sem.acquire(3);
    const b = sem.acquire(1);
    expect(pa.poll(a), "pa.poll(a)").toBe(Pending);
    expect(pb.poll(b), "pb.poll(b)").toBe(Pending);
    sem.release(2);
    expect([pa.stats.wakes, pb.stats.wakes], "2 of 3 to the head; the one behind gets nothing").toEqual([0, 0]);
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(0);
    sem.release(1);
    expect([pa.stats.wakes, pb.stats.wakes], "the head is complete").toEqual([1, 0]);
    sem.release(1);
    expect([pa.stats.wakes, pb.stats.wakes]).toEqual([1, 1]);
    expect(pa.poll(a)).toBeUndefined();
    expect(pb.poll(b)).toBeUndefined();
  });

  it("release serves the oldest waiters first and puts the leftover in the counter", () => {
    const sem = new BatchSemaphore(0);
    const ps = [probe(), probe(), probe()];
    const acquires = [sem.acquire(1), sem.acquire(2), sem.acquire(4)];
    acquires.forEach((a, i) => expect(ps[i]!.poll(a), "ps[i].poll(a)").toBe(Pending));
    sem.release(5);
    expect(ps.map((p) => p.stats.wakes), "1 and 2 served in full, 2 of 4 to the third").toEqual([1, 1, 0]);
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(0);
    sem.release(3);
    expect(ps.map((p) => p.stats.wakes)).toEqual([1, 1, 1]);
    expect(sem.availablePermits(), "the 1 left over goes to the counter").toBe(1);
  });

  it("no barging: while anyone waits, tryAcquire fails and a new acquire queues behind", () => {
    const sem = new BatchSemaphore(1);
    const pa = probe();
    const a = sem.acquire(2);
    expect(pa.poll(a), "pa.poll(a)").toBe(Pending);
    const e = thrownAs(TryAcquireError, () => sem.tryAcquire(1));
    expect(e.kind, "e.kind").toBe("noPermits");
    expect(e.message, "e.message").toBe("no permits available");
    const pc = probe();
    const c = sem.acquire(1);
    expect(pc.poll(c), "a newcomer queues even though it asks for less").toBe(Pending);
    sem.release(1);
    expect([pa.stats.wakes, pc.stats.wakes], "the permit completes the head, not the newcomer").toEqual([1, 0]);
    expect(() => sem.tryAcquire(1), "still someone waiting").toThrow(TryAcquireError);
    sem.release(1);
    expect(pc.stats.wakes, "pc.stats.wakes").toBe(1);
    expect(pc.poll(c)).toBeUndefined();
    sem.release(1);
    sem.tryAcquire(1);
    expect(sem.availablePermits(), "tryAcquire takes when nobody waits").toBe(0);
  });

  it("a dropped acquire leaves the queue and gives its partial grant to the next waiter", () => {
    const sem = new BatchSemaphore(1);
    const pa = probe();
    const pb = probe();
    const a = sem.acquire(3);
    const b = sem.acquire(1);
    expect(pa.poll(a), "pa.poll(a)").toBe(Pending);
    expect(pb.poll(b), "pb.poll(b)").toBe(Pending);
    expect(pa.stats.refs, "a's waker is stored").toBe(2);
    a[Symbol.dispose]();
    expect(pa.stats.refs, "a's stored waker was dropped").toBe(1);
    expect(pb.stats.wakes, "a's permit went to b").toBe(1);
    expect(pb.poll(b)).toBeUndefined();
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(0);
    sem.release(1);
    expect(pa.stats.wakes, "a left the queue: never woken").toBe(0);
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(1);
  });

  it("permits granted to an acquire dropped before it saw them go back to the semaphore", () => {
    const sem = new BatchSemaphore(0);
    const p = probe();
    const a = sem.acquire(2);
    expect(p.poll(a), "p.poll(a)").toBe(Pending);
    sem.release(2);
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    a[Symbol.dispose]();
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(2);
    a[Symbol.dispose]();
    expect(sem.availablePermits(), "disposing twice gives nothing more").toBe(2);
  });

  it("close fails every waiter and every later acquire with AcquireError, and returns partial grants", () => {
    const sem = new BatchSemaphore(1);
    const pa = probe();
    const a = sem.acquire(2);
    expect(pa.poll(a), "pa.poll(a)").toBe(Pending);
    sem.close();
    expect(sem.isClosed(), "sem.isClosed()").toBe(true);
    expect(pa.stats.wakes, "the waiter is woken by close").toBe(1);
    const e = thrownAs(AcquireError, () => pa.poll(a));
    expect(e.message, "e.message").toBe("semaphore closed");
    expect(sem.availablePermits(), "its partial grant came back").toBe(1);
    thrownAs(AcquireError, () => probe().poll(sem.acquire(1)));
    expect(thrownAs(TryAcquireError, () => sem.tryAcquire(1)).kind).toBe("closed");
    sem.release(2);
    expect(sem.availablePermits(), "permits can still be released").toBe(3);
  });

  it("acquire spends one unit of budget when it completes, none when pending, and yields when the budget is gone", () => {
    budget(() => {
      const sem = new BatchSemaphore(1);
      const p = probe();
      expect(p.poll(sem.acquire(1))).toBeUndefined();
      expect(budgetRemaining(), "a completed acquire spent one unit").toBe(127);
      expect(p.poll(sem.acquire(1))).toBe(Pending);
      expect(budgetRemaining(), "a pending one gave it back").toBe(127);
      sem.release(5);
      spendBudget();
      const before = p.stats.wakes;
      expect(p.poll(sem.acquire(1)), "out of budget: pending although permits are there").toBe(Pending);
      expect(p.stats.wakes, "and it asked to be polled again").toBe(before + 1);
      expect(sem.availablePermits(), "nothing taken").toBe(4);
    });
  });

  it("a waiting acquire clones the waker only when the stored one would not wake the same task", () => {
    const sem = new BatchSemaphore(0);
    const p1 = probe();
    const p2 = probe();
    const a = sem.acquire(1);
    expect(p1.poll(a), "p1.poll(a)").toBe(Pending);
    expect(p1.poll(a), "p1.poll(a)").toBe(Pending);
    expect(p1.stats.refs, "polled twice by the same task: one clone").toBe(2);
    expect(p2.poll(a), "p2.poll(a)").toBe(Pending);
    expect([p1.stats.refs, p2.stats.refs], "another task polled it: the old clone dropped, a new one kept").toEqual([1, 2]);
    sem.release(1);
    expect([p1.stats.wakes, p2.stats.wakes], "the latest waker is the one woken").toEqual([0, 1]);
    expect(p2.stats.refs, "waking consumed the stored clone").toBe(1);
  });

  it("a waiting acquire polled again by the same task makes no vtable call (no clone-and-drop per poll)", () => {
    const sem = new BatchSemaphore(0);
    const { cx, calls } = tracked();
    const a = sem.acquire(1);
    expect(a.poll(cx), "a.poll(cx)").toBe(Pending);
    expect(a.poll(cx), "a.poll(cx)").toBe(Pending);
    expect(a.poll(cx), "a.poll(cx)").toBe(Pending);
    expect({ ...calls }, "{ ...calls }").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
  });

  it("MAX_PERMITS bounds the counter: release past it throws Tokio's message; tryAcquire above it throws", () => {
    const sem = new BatchSemaphore(MAX_PERMITS);
    expect(() => sem.release(1)).toThrow(`number of added permits (1) would overflow MAX_PERMITS (${MAX_PERMITS})`);
    expect(sem.availablePermits(), "nothing was added").toBe(MAX_PERMITS);
    expect(() => sem.tryAcquire(MAX_PERMITS + 1), "more than MAX_PERMITS at once").toThrow(
      `a semaphore may not have more than MAX_PERMITS permits (${MAX_PERMITS})`,
    );
    expect(() => sem.tryAcquire(1.5), "not a whole number").toThrow(RangeError);
    sem.tryAcquire(MAX_PERMITS);
    expect(sem.availablePermits(), "MAX_PERMITS itself is a valid request").toBe(0);
    sem.release(0);
    expect(sem.availablePermits(), "releasing nothing changes nothing").toBe(0);
  });

  it("a completed acquire belongs to the caller: dropping it gives nothing back; polling it again throws", () => {
    const sem = new BatchSemaphore(3);
    const now = sem.acquire(2);
    expect(probe().poll(now)).toBeUndefined();
    now[Symbol.dispose]();
    expect(sem.availablePermits(), "the two permits are the caller's").toBe(1);
    expect(() => probe().poll(now)).toThrow("`Acquire` polled after completion");
    const later = sem.acquire(3);
    const p = probe();
    expect(p.poll(later), "p.poll(later)").toBe(Pending);
    sem.release(2);
    expect(p.poll(later), "granted while it waited").toBeUndefined();
    later[Symbol.dispose]();
    expect(sem.availablePermits(), "a completed waiter gives nothing back either").toBe(0);
  });

  it("forgetPermits removes available permits for good and says how many", () => {
    const sem = new BatchSemaphore(3);
    expect(sem.forgetPermits(2), "sem.forgetPermits(2)").toBe(2);
    expect(sem.forgetPermits(5), "only what is available").toBe(1);
    expect(sem.availablePermits(), "sem.availablePermits()").toBe(0);
  });
});

describe("Task 2: Semaphore and Mutex", () => {
  it("a SemaphorePermit holds its permits until disposed, even at the end of a `using` scope in a task", async () => {
    const sem = new Semaphore(3);
    const seen = await onRuntime(function* () {
      const seen: number[] = [];
      {
        using permit = yield* sem.acquireMany(2);
        seen.push(permit.numPermits(), sem.availablePermits());
        using one = yield* sem.acquire();
        seen.push(one.numPermits(), sem.availablePermits());
      }
      seen.push(sem.availablePermits());
      return seen;
    });
    expect(seen).toEqual([2, 1, 1, 0, 3]);
  });

  it("tryAcquire, forget, split and merge", () => {
    const sem = new Semaphore(2);
    const a = sem.tryAcquireMany(2);
    expect(thrownAs(TryAcquireError, () => sem.tryAcquire()).kind).toBe("noPermits");
    const b = a.split(1)!;
    expect(a.split(5), "cannot split more than it holds").toBeUndefined();
    expect([a.numPermits(), b.numPermits()]).toEqual([1, 1]);
    b.forget();
    b[Symbol.dispose]();
    expect(sem.availablePermits(), "a forgotten permit gives nothing back").toBe(0);
    const c = new Semaphore(1).tryAcquire();
    expect(() => a.merge(c)).toThrow("merging permits from different semaphore instances");
    a[Symbol.dispose]();
    a[Symbol.dispose]();
    expect(sem.availablePermits(), "disposed twice, given back once").toBe(1);
    sem.addPermits(2);
    sem.close();
    expect(sem.isClosed(), "sem.isClosed()").toBe(true);
    expect(thrownAs(TryAcquireError, () => sem.tryAcquire()).kind).toBe("closed");
  });

  it("forgetPermits, split at the edges and merge of one semaphore's permits; a dropped acquire() gives up its place", () => {
    const sem = new Semaphore(5);
    expect(sem.forgetPermits(1), "sem.forgetPermits(1)").toBe(1);
    const a = sem.tryAcquireMany(4);
    expect(a.split(-1), "a negative count").toBeUndefined();
    expect(a.split(1.5), "a fraction").toBeUndefined();
    const none = a.split(0)!;
    expect(none.numPermits(), "split(0) is an empty permit").toBe(0);
    const all = a.split(4)!;
    expect([a.numPermits(), all.numPermits()], "split of everything it holds").toEqual([0, 4]);
    a.merge(all);
    expect([a.numPermits(), all.numPermits()], "merge moves the permits").toEqual([4, 0]);
    const waiting = sem.acquire();
    const p = probe();
    expect(p.poll(waiting), "p.poll(waiting)").toBe(Pending);
    waiting[Symbol.dispose]!();
    a[Symbol.dispose]();
    expect(sem.availablePermits(), "the dropped acquire took nothing").toBe(4);
  });

  it("a Semaphore bounds how many tasks run at once, and lets them in first come, first served", async () => {
    const { order, peak } = await onRuntime(
      function* () {
        const sem = new Semaphore(2);
        const order: number[] = [];
        let running = 0;
        let peak = 0;
        const handles = [0, 1, 2, 3, 4].map((i) =>
          spawn(
            asyncBlock(function* () {
              using _permit = yield* sem.acquire();
              order.push(i);
              peak = Math.max(peak, ++running);
              yield* sleep(10 * (5 - i));
              running--;
            }),
          ),
        );
        for (const h of handles) yield* h;
        return { order, peak };
      },
      { time: true },
    );
    expect(peak, "never more than 2 permits out").toBe(2);
    expect(order, "admitted in the order they asked").toEqual([0, 1, 2, 3, 4]);
  });

  it("closing a Semaphore fails its waiting acquire with AcquireError", async () => {
    const error = await onRuntime(function* () {
      const sem = new Semaphore(0);
      const waiter = spawn(
        asyncBlock(function* () {
          try {
            yield* sem.acquire();
            return "acquired";
          } catch (e) {
            return e;
          }
        }),
      );
      yield* yieldNow();
      sem.close();
      return yield* waiter;
    });
    expect(error).toBeInstanceOf(AcquireError);
  });

  it("Mutex: the guard reads and writes the value; tryLock fails while it is held; a dropped guard is dead", () => {
    const m = new Mutex({ n: 1 });
    const g = m.tryLock();
    g.value.n++;
    g.value = { n: g.value.n * 10 };
    const e = thrownAs(TryLockError, () => m.tryLock());
    expect(e.message, "e.message").toBe("operation would block");
    g[Symbol.dispose]();
    expect(() => g.value, "using a dropped guard").toThrow("MutexGuard used after it was dropped");
    g[Symbol.dispose]();
    using again = m.tryLock();
    expect(again.value, "again.value").toEqual({ n: 20 });
  });

  it("Mutex is fair and safe to hold across suspension points: no update is lost", async () => {
    const { log, count } = await onRuntime(
      function* () {
        const m = new Mutex(0);
        const log: string[] = [];
        const workers = [0, 1, 2].map((i) =>
          spawn(
            asyncBlock(function* () {
              for (let round = 0; round < 2; round++) {
                using guard = yield* m.lock();
                log.push(`${i}`);
                const read = guard.value;
                yield* sleep(5); // the lock is held while this task is suspended
                guard.value = read + 1;
              }
            }),
          ),
        );
        for (const w of workers) yield* w;
        return { log, count: m.tryLock().value };
      },
      { time: true },
    );
    expect(count, "six read-modify-writes, none lost").toBe(6);
    expect(log, "each unlock hands the lock to the oldest waiter").toEqual(["0", "1", "2", "0", "1", "2"]);
  });

  it("a task that throws while holding the guard unlocks the mutex (no poisoning)", async () => {
    const result = await onRuntime(function* () {
      const m = new Mutex("ok");
      const failing = spawn(
        asyncBlock(function* () {
          using _guard = yield* m.lock();
          throw new Error("boom");
        }),
      );
      try {
        yield* failing;
      } catch {
        // the panic is the task's
      }
      using g = yield* m.lock();
      return g.value;
    });
    expect(result).toBe("ok");
  });

  it("a lock() dropped while it waits gives up its place in line", () => {
    const m = new Mutex(0);
    const held = m.tryLock();
    const pa = probe();
    const pb = probe();
    const a = m.lock();
    const b = m.lock();
    expect(pa.poll(a), "pa.poll(a)").toBe(Pending);
    expect(pb.poll(b), "pb.poll(b)").toBe(Pending);
    a[Symbol.dispose]?.();
    held[Symbol.dispose]();
    expect([pa.stats.wakes, pb.stats.wakes], "the lock passes to b").toEqual([0, 1]);
    const g = pb.poll(b);
    expect(g).not.toBe(Pending);
  });
});

