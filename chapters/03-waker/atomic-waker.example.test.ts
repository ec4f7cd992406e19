/**
 * `AtomicWaker` in a future: register first, then check.
 */
import { expect, it } from "vitest";
import { AtomicWaker, Context, wakerFn } from "#kata/03-waker";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";

/** A one-shot flag: `set()` from anywhere, await it as a future. */
class Flag extends FutureBase<void> {
  #set = false;
  readonly #waker = new AtomicWaker();

  set(): void {
    this.#set = true; // make the event visible first...
    this.#waker.wake(); // ...then wake
  }

  poll(cx: Context): Poll<void> {
    this.#waker.register(cx.waker); // register first...
    return this.#set ? undefined : Pending; // ...then check
  }
}

it("the producer wakes the waker the future registered", () => {
  const { waker, stats } = wakerFn();
  const cx = new Context(waker);
  const flag = new Flag();
  expect(flag.poll(cx)).toBe(Pending);
  expect(flag.poll(cx)).toBe(Pending); // same task: the stored waker is kept, not cloned again
  expect(stats).toMatchObject({ refs: 2, wakes: 0 });
  flag.set();
  expect(stats).toMatchObject({ refs: 1, wakes: 1 });
  expect(flag.poll(cx)).toBeUndefined();
});
