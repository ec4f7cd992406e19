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
 *
 * `Clock` and `now()` are Task 1 of the lesson (the clock's constructor and fields are given); `pause`, `resume`
 * and `advance` are Task 4.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";

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
    return todo("13-time", "Clock.now");
  }

  isPaused(): boolean {
    return todo("13-time", "Clock.isPaused");
  }

  /** Freezes `now()`; throws "time is already frozen" if it is. */
  pause(): void {
    todo("13-time", "Clock.pause");
  }

  /** Lets `now()` follow real time again, from where it stands; throws "time is not frozen" if running. */
  resume(): void {
    todo("13-time", "Clock.resume");
  }

  /** Moves a paused clock forward by `ms`; throws "time is not frozen" if running, a RangeError for a bad `ms`. */
  advance(ms: number): void {
    todo("13-time", "Clock.advance");
  }

  inhibitAutoAdvance(): void {
    todo("13-time", "Clock.inhibitAutoAdvance");
  }

  /** Undoes one `inhibitAutoAdvance`; throws if there is none outstanding. */
  allowAutoAdvance(): void {
    todo("13-time", "Clock.allowAutoAdvance");
  }

  /** Paused, and no inhibition outstanding. */
  canAutoAdvance(): boolean {
    return todo("13-time", "Clock.canAutoAdvance");
  }
}

/** Pauses the current runtime's clock (`tokio::time::pause`); only on the current-thread runtime. */
export function pause(): void {
  todo("13-time", "pause");
}

/** Resumes the current runtime's clock (`tokio::time::resume`). */
export function resume(): void {
  todo("13-time", "resume");
}

/** The current runtime's `now()`, in ms on its clock (`Instant::now()`); throws outside a runtime. */
export function now(): number {
  return todo("13-time", "now");
}

/**
 * Advances the current runtime's paused clock by `ms` when first polled, then yields once so that the driver
 * turns and fires what came due (`tokio::time::advance`). Timers passed over fire together, at the new time.
 */
export function advance(ms: number): Future<void> {
  return todo("13-time", "advance");
}
