/**
 * Wakers from the inside: a raw waker with a hand-written vtable, and the counting waker the tests use.
 */
import { expect, it } from "vitest";
import { RawWaker, Waker, wakerFn, type RawWakerVTable } from "#kata/03-waker";

it("a Waker dispatches every call through its vtable", () => {
  const calls: string[] = [];
  const vtable: RawWakerVTable = {
    clone: (data) => (calls.push(`clone ${String(data)}`), new RawWaker(data, vtable)),
    wake: (data) => calls.push(`wake ${String(data)}`),
    wakeByRef: (data) => calls.push(`wakeByRef ${String(data)}`),
    drop: (data) => calls.push(`drop ${String(data)}`),
  };
  const waker = Waker.fromRaw(new RawWaker("task-7", vtable));
  const copy = waker.clone();
  waker.wakeByRef();
  waker.wake(); // consumes `waker`
  copy.drop(); // consumes `copy`
  expect(calls).toEqual(["clone task-7", "wakeByRef task-7", "wake task-7", "drop task-7"]);
  expect(() => waker.wakeByRef()).toThrow("consumed");
});

it("wakerFn counts live handles and wakes", () => {
  let woken = 0;
  const { waker, stats } = wakerFn(() => woken++);
  const stored = waker.clone(); // what a pending future keeps
  expect(stats).toMatchObject({ refs: 2, wakes: 0 });
  stored.wake(); // the event source wakes (and releases) the stored clone
  expect(stats).toMatchObject({ refs: 1, wakes: 1 });
  expect(woken).toBe(1);
});
