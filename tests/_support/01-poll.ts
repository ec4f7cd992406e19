/**
 * Test helpers for the early chapters (01-05): a scripted future that records how it is used, and wakers that
 * count what was done with them.
 */
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import { FutureBase, type Poll } from "#kata/01-poll";

/**
 * A future whose poll `n` (from 1) returns `step(n, cx)`. It records every context it was polled with and counts
 * its disposals, so a test can check who polled it, how often, and whether it was dropped.
 */
export class Scripted<T> extends FutureBase<T> {
  readonly contexts: Context[] = [];
  disposed = 0;

  constructor(private readonly step: (poll: number, cx: Context) => Poll<T>) {
    super();
  }

  get polls(): number {
    return this.contexts.length;
  }

  poll(cx: Context): Poll<T> {
    this.contexts.push(cx);
    return this.step(this.contexts.length, cx);
  }

  [Symbol.dispose](): void {
    this.disposed++;
  }
}

/** The counts of a probe's waker as a plain object (its stats object carries more than refs and wakes). */
export function counts(p: { stats: { refs: number; wakes: number } }): { refs: number; wakes: number } {
  return { refs: p.stats.refs, wakes: p.stats.wakes };
}

/** Calls made through a `tracked()` waker's vtable, by entry. */
export interface VtableCalls {
  clone: number;
  wake: number;
  wakeByRef: number;
  drop: number;
}

/**
 * A context whose waker counts every vtable call by entry, so a test can tell `wakeByRef()` from
 * `clone().wake()` (which `wakerFn`'s totals cannot).
 */
export function tracked(): { cx: Context; calls: VtableCalls } {
  const calls: VtableCalls = { clone: 0, wake: 0, wakeByRef: 0, drop: 0 };
  const vtable: RawWakerVTable = {
    clone: (data) => (calls.clone++, new RawWaker(data, vtable)),
    wake: () => void calls.wake++,
    wakeByRef: () => void calls.wakeByRef++,
    drop: () => void calls.drop++,
  };
  return { cx: new Context(Waker.fromRaw(new RawWaker(calls, vtable))), calls };
}

/** A future whose every poll throws `error`; it counts its disposals, and each throws `disposeError` if given. */
export class Throwing<T> extends FutureBase<T> {
  disposed = 0;

  constructor(
    readonly error: unknown,
    readonly disposeError?: unknown,
  ) {
    super();
  }

  poll(): Poll<T> {
    throw this.error;
  }

  [Symbol.dispose](): void {
    this.disposed++;
    if (this.disposeError !== undefined) throw this.disposeError;
  }
}

/** The same without `[Symbol.dispose]`: abandoning it must not call one. */
export class ThrowingNoDispose<T> extends FutureBase<T> {
  constructor(readonly error: unknown) {
    super();
  }

  poll(): Poll<T> {
    throw this.error;
  }
}
