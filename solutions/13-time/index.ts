/** PLACEHOLDER (to be replaced by the chapter 13 author): a clock and a time driver that fires nothing. */
import type { Driver } from "#kata/07-current-thread";

export class Clock {
  readonly #origin = performance.now();
  readonly #paused: boolean;

  constructor(options: { paused: boolean }) {
    this.#paused = options.paused;
  }

  now(): number {
    return this.#paused ? 0 : performance.now() - this.#origin;
  }

  isPaused(): boolean {
    return this.#paused;
  }
}

export interface TimeHandle {
  readonly clock: Clock;
}

export class TimeDriver implements Driver {
  readonly handle: TimeHandle;

  constructor(
    private readonly park: Driver,
    clock: Clock,
  ) {
    this.handle = { clock };
  }

  get needsEventLoop(): boolean {
    return this.park.needsEventLoop;
  }

  wait(timeoutMs?: number): Promise<void> {
    return this.park.wait(timeoutMs);
  }

  turn(): void {
    this.park.turn();
  }

  unpark(): void {
    this.park.unpark();
  }

  shutdown(): void {
    this.park.shutdown();
  }
}
