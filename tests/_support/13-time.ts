/**
 * Test helpers for chapter 13: a driver whose every call is logged and whose `wait` settles at once, paused
 * runtimes, a busy wait for the few tests that must see real time pass, and a counter of Node timers.
 */
import { Pending, pollFn, type Future } from "#kata/01-poll";
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { Builder, type Driver } from "#kata/07-current-thread";

/**
 * A `Driver` that logs `wait` (as "wait" or "wait <ms>"), `turn`, `unpark` and `shutdown` into `log`; its `wait`
 * runs `onWait` (say, to unpark) and settles at once, so a `TimeDriver` above it can be driven step by step.
 */
export class ScriptedDriver implements Driver {
  needsEventLoop = false;
  onWait: (timeoutMs: number | undefined) => void = () => {};

  constructor(readonly log: string[] = []) {}

  wait(timeoutMs?: number): Promise<void> {
    this.log.push(timeoutMs === undefined ? "wait" : `wait ${timeoutMs}`);
    this.onWait(timeoutMs);
    return Promise.resolve();
  }

  turn(): void {
    this.log.push("turn");
  }

  unpark(): void {
    this.log.push("unpark");
  }

  shutdown(): void {
    this.log.push("shutdown");
  }
}

/** Runs `body` as the main future of a current-thread runtime with time enabled and the clock paused. */
export async function paused<T>(body: () => AsyncGen<T>): Promise<T> {
  return runOn(Builder.newCurrentThread().enableTime().startPaused(true), body);
}

/** Runs `body` as the main future of a runtime built by `builder`, and shuts the runtime down afterwards. */
export async function runOn<T>(builder: Builder, body: () => AsyncGen<T>): Promise<T> {
  const rt = builder.build();
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}

/** Spins until `performance.now()` has moved by `ms` (for the few checks of a clock that follows real time). */
export function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** Counts the Node timers armed through `globalThis.setTimeout` while `f` runs: the most armed at once, in all. */
export async function countNodeTimers<T>(f: () => Promise<T>): Promise<{ value: T; maxArmed: number; armedInAll: number }> {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const armed = new Set<unknown>();
  let maxArmed = 0;
  let armedInAll = 0;
  const patchedSet = ((cb: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const t = realSet(
      (...a: unknown[]) => {
        armed.delete(t);
        cb(...a);
      },
      ms,
      ...args,
    );
    armed.add(t);
    armedInAll++;
    maxArmed = Math.max(maxArmed, armed.size);
    return t;
  }) as typeof setTimeout;
  globalThis.setTimeout = patchedSet;
  globalThis.clearTimeout = ((t: Parameters<typeof clearTimeout>[0]) => {
    armed.delete(t);
    realClear(t);
  }) as typeof clearTimeout;
  try {
    const value = await f();
    return { value, maxArmed, armedInAll };
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
}

/** `yield* pollOnce(f)` polls `f` once with the task's context: true if it was ready (its value is dropped). */
export function pollOnce(f: Future<unknown>): Future<boolean> {
  return pollFn((cx) => f.poll(cx) !== Pending);
}
