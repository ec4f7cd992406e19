/**
 * `blockOn(future)`: run one future to completion, sleeping whenever it is pending.
 *
 * This is the bridge from the promise world into ours (Rust's `futures::executor::block_on`, seed 3.1, 10.1):
 * the returned promise settles with the future's output, or rejects with what its poll threw.
 * Invariants: the future is polled once at the start and then only after its waker was used, so there are no
 * spurious polls; any number of wakes between two polls cause one poll; an idle `blockOn` holds no timer and
 * spins no loop: it awaits its parker.
 */
import { Context } from "#kata/03-waker";
import { Pending, type Future } from "#kata/01-poll";
import { Parker } from "./park.ts";

export async function blockOn<T>(future: Future<T>): Promise<T> {
  const parker = new Parker();
  const cx = new Context(parker.waker());
  for (;;) {
    const out = future.poll(cx);
    if (out !== Pending) return out;
    await parker.park();
  }
}
