/**
 * The clock (Tokio's `time/clock.rs`, with the `test-util` feature): the runtime's source of "now".
 *
 * A clock reads milliseconds since its own creation. Running, it follows `performance.now()` (monotonic); paused,
 * it stands still and moves only when told: `advance(ms)`, or the time driver's auto-advance, which jumps it to
 * the next timer when the runtime has nothing else to do. Auto-advance is inhibited while any
 * `inhibitAutoAdvance()` is outstanding (the blocking pool holds one per running job: work the clock cannot see).
 *
 *     now() = base + (running ? performance.now() - unfrozen : 0)
 *
 * The free functions `pause`, `resume`, `advance` and `now` act on the current runtime's clock, as Tokio's
 * test utilities do; pausing needs the current-thread runtime.
 *
 * Invariants: `now()` never goes backwards; a paused clock's `now()` changes only by `advance`; the inhibit count
 * never goes below zero.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { yieldNow } from "#kata/14-blocking";
import { CONTEXT } from "#kit/context";
import { CONTEXT_MISSING_ERROR } from "./error.ts";

export const OUTSIDE_RUNTIME_ERROR = "time cannot be frozen from outside the Tokio runtime";
export const ALREADY_FROZEN_ERROR = "time is already frozen";
export const NOT_FROZEN_ERROR = "time is not frozen";
export const PAUSE_NEEDS_CURRENT_THREAD_ERROR =
  "`time::pause()` requires the `current_thread` Tokio runtime. This is the default Runtime used by `#[tokio::test].";

export interface ClockOptions {
  /** Start paused (`Builder.startPaused(true)`). */
  paused: boolean;
}

export class Clock {
  /** ms accumulated while running, plus every advance */
  #base = 0;
  /** `performance.now()` when the clock last started running; null while paused */
  #unfrozen: number | null;
  /** outstanding `inhibitAutoAdvance` calls */
  #inhibit = 0;

  constructor(options: ClockOptions) {
    this.#unfrozen = options.paused ? null : performance.now();
  }

  /** Milliseconds since the clock was created, counting only the time it ran, plus every advance. */
  now(): number {
    const unfrozen = this.#unfrozen;
    return unfrozen === null ? this.#base : this.#base + (performance.now() - unfrozen);
  }

  isPaused(): boolean {
    return this.#unfrozen === null;
  }

  /** Freezes `now()`; throws "time is already frozen" if it is. */
  pause(): void {
    const unfrozen = this.#unfrozen;
    if (unfrozen === null) throw new Error(ALREADY_FROZEN_ERROR);
    this.#base += performance.now() - unfrozen;
    this.#unfrozen = null;
  }

  /** Lets `now()` follow real time again, from where it stands; throws "time is not frozen" if running. */
  resume(): void {
    if (this.#unfrozen !== null) throw new Error(NOT_FROZEN_ERROR);
    this.#unfrozen = performance.now();
  }

  /** Moves a paused clock forward by `ms`; throws "time is not frozen" if running. */
  advance(ms: number): void {
    if (this.#unfrozen !== null) throw new Error(NOT_FROZEN_ERROR);
    if (!(ms >= 0) || ms === Infinity) throw new RangeError(`advance needs a finite duration in ms >= 0, got ${ms}`);
    this.#base += ms;
  }

  inhibitAutoAdvance(): void {
    this.#inhibit++;
  }

  allowAutoAdvance(): void {
    if (this.#inhibit === 0) throw new Error("allowAutoAdvance without a matching inhibitAutoAdvance");
    this.#inhibit--;
  }

  /** Paused, and no inhibition outstanding. */
  canAutoAdvance(): boolean {
    return this.#unfrozen === null && this.#inhibit === 0;
  }
}

/** Runs `f` with the current runtime's clock; throws Tokio's message outside a runtime. */
function withClock<R>(f: (clock: Clock) => R): R {
  const handle = CONTEXT.handle;
  if (handle === null) throw new Error(OUTSIDE_RUNTIME_ERROR);
  return f(handle.driver.clock);
}

/** Pauses the current runtime's clock (`tokio::time::pause`); only on the current-thread runtime. */
export function pause(): void {
  withClock((clock) => {
    if (CONTEXT.handle?.runtimeFlavor() !== "current_thread") throw new Error(PAUSE_NEEDS_CURRENT_THREAD_ERROR);
    clock.pause();
  });
}

/** Resumes the current runtime's clock (`tokio::time::resume`). */
export function resume(): void {
  withClock((clock) => clock.resume());
}

/** The current runtime's `now()`, in ms on its clock (`Instant::now()`); throws outside a runtime. */
export function now(): number {
  const handle = CONTEXT.handle;
  if (handle === null) throw new Error(CONTEXT_MISSING_ERROR);
  return handle.driver.clock.now();
}

class Advance extends FutureBase<void> {
  #yielding: Future<void> | null = null;

  constructor(readonly ms: number) {
    super();
  }

  poll(cx: Context): Poll<void> {
    if (this.#yielding === null) {
      withClock((clock) => clock.advance(this.ms));
      this.#yielding = yieldNow();
    }
    return this.#yielding.poll(cx);
  }
}

/**
 * Advances the current runtime's paused clock by `ms` when first polled, then yields once so that the driver
 * turns and fires what came due (`tokio::time::advance`). Timers passed over fire together, at the new time.
 */
export function advance(ms: number): Future<void> {
  return new Advance(ms);
}
