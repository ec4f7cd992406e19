/**
 * `wakerFn(f)`: a waker that calls `f` when woken, with its reference count in plain sight.
 *
 * The data behind the waker counts the live handles (`refs`: 1 for the first waker, +1 per clone, -1 per `wake`
 * or `drop`) and the wakes received. Tests and lessons read `stats` to see a runtime's waker traffic; `refs`
 * returns to 0 exactly when the last handle has been consumed.
 */
import { todo } from "#kit/todo";
import type { Waker } from "./waker.ts";

export interface WakerStats {
  /** Live handles: wakers built from this data and not yet consumed by `wake()` or `drop()`. */
  readonly refs: number;
  /** Calls to `wake()` plus calls to `wakeByRef()`. */
  readonly wakes: number;
}

/**
 * Returns a waker whose every wake (by value or by reference) calls `f` once, and the live `stats` of its data
 * (the same object for the waker and all its clones, updated in place).
 */
export function wakerFn(f: () => void = () => {}): { waker: Waker; stats: WakerStats } {
  return todo("03-waker", "wakerFn");
}
