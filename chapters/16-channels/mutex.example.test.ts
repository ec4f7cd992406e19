/**
 * Seed 12.5: holding a lock across an await. A thread-blocking lock would freeze the runtime's only thread; the
 * async Mutex parks the task instead, so the holder can run again and release it.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { yieldNow } from "#kata/14-blocking";
import { Mutex, TryLockError } from "#kata/16-channels";

it("two tasks hold the lock across a suspension point in turn, and no increment is lost", async () => {
  using rt = Builder.newCurrentThread().build();
  const total = await rt.blockOn(
    asyncBlock(function* () {
      const counter = new Mutex(0);
      const bump = () =>
        asyncBlock(function* () {
          for (let i = 0; i < 3; i++) {
            using guard = yield* counter.lock();
            const before = guard.value;
            yield* yieldNow(); // suspended while holding the lock: the other task waits in line
            guard.value = before + 1;
          }
        });
      const a = spawn(bump());
      const b = spawn(bump());
      yield* a;
      yield* b;
      using guard = yield* counter.lock();
      return guard.value;
    }),
  );
  expect(total).toBe(6);
});

it("what a blocking lock would have done: the second locker finds it held (and would block the thread)", () => {
  const m = new Mutex("data");
  const held = m.tryLock();
  expect(() => m.tryLock()).toThrow(TryLockError);
  held[Symbol.dispose]();
  expect(m.tryLock().value).toBe("data");
});
