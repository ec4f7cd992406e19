/**
 * Test helpers for chapter 18: a future the test opens by hand, seeded runtimes (so `select`'s random start can be
 * predicted), a fixed-size decoder, and a client that writes on a schedule.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { asyncBlock, join, type AsyncGen } from "#kata/02-state-machines";
import type { Context, Waker } from "#kata/03-waker";
import { Builder, type Runtime } from "#kata/09-work-stealing";
import { yieldNow } from "#kata/14-blocking";

/**
 * A future that stays pending until the test calls `open(value)` (or `fail(error)`), then wakes whoever polled it
 * last. It counts its polls and disposals, so a test can see who polled it and whether it was dropped.
 */
export class Gate<T> extends FutureBase<T> {
  polls = 0;
  disposed = 0;
  #outcome: { value: T } | { error: unknown } | null = null;
  #waker: Waker | null = null;

  constructor(readonly name = "gate") {
    super();
  }

  open(value: T): void {
    this.#settle({ value });
  }

  fail(error: unknown): void {
    this.#settle({ error });
  }

  poll(cx: Context): Poll<T> {
    this.polls++;
    const outcome = this.#outcome;
    if (outcome === null) {
      if (this.#waker === null || !this.#waker.willWake(cx.waker)) {
        this.#waker?.drop();
        this.#waker = cx.waker.clone();
      }
      return Pending;
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  }

  [Symbol.dispose](): void {
    this.disposed++;
    this.#waker?.drop();
    this.#waker = null;
  }

  #settle(outcome: { value: T } | { error: unknown }): void {
    this.#outcome = outcome;
    const waker = this.#waker;
    this.#waker = null;
    waker?.wake();
  }
}

/** Wraps a future: counts its polls and disposals, and disposes the inner future when disposed. */
export class Tracked<T> extends FutureBase<T> {
  polls = 0;
  disposed = 0;

  constructor(readonly inner: Future<T>) {
    super();
  }

  poll(cx: Context): Poll<T> {
    this.polls++;
    return this.inner.poll(cx);
  }

  [Symbol.dispose](): void {
    this.disposed++;
    this.inner[Symbol.dispose]?.();
  }
}

/**
 * A runtime whose random choices follow `seed` (`Builder.rngSeed`), with time enabled and the clock paused: the
 * multi-thread flavour with one worker, whose configuration carries the seed.
 */
export function seededRuntime(seed: number): Runtime {
  return Builder.newMultiThread().workerThreads(1).rngSeed(seed).enableTime().startPaused(true).build();
}

/** Runs `body` as the main future of `seededRuntime(seed)`, then shuts the runtime down. */
export async function onSeeded<T>(seed: number, body: () => AsyncGen<T>): Promise<T> {
  const rt = seededRuntime(seed);
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}

/**
 * Awaits `future` while yielding once, so that the runtime turns its I/O driver before it next parks. On a paused
 * clock, a runtime that parks with nothing to run auto-advances to its next timer *before* it dispatches I/O that is
 * already ready (Tokio does the same: the zero-timeout I/O poll wakes tasks without counting as a wake-up), so a
 * connect or a read that is ready "now" would complete at the next timer instead. Yielding makes the runtime turn
 * the driver without moving the clock.
 */
export function* promptly<T>(future: Future<T>): AsyncGen<T> {
  const [value] = yield* join(future, yieldNow());
  return value;
}

/** A decoder of frames of exactly `size` bytes (each frame a copy). */
export function fixedFrames(size: number): { decode(buf: Uint8Array): [Uint8Array, number] | undefined } {
  return { decode: (buf) => (buf.length >= size ? [buf.slice(0, size), size] : undefined) };
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
