/**
 * Test helpers for chapters 16 and 17: run a scenario on a fresh current-thread runtime, and catch what a call
 * throws.
 */
import { expect } from "vitest";
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { Builder } from "#kata/07-current-thread";

/**
 * Runs `body` as the main future of a new current-thread runtime and shuts the runtime down afterwards. With
 * `time`, the runtime has the time driver and a paused clock (it jumps to the next timer when every task waits),
 * so `sleep` orders events deterministically without waiting for real.
 */
export async function onRuntime<T>(body: () => AsyncGen<T>, opts: { time?: boolean } = {}): Promise<T> {
  const builder = Builder.newCurrentThread();
  if (opts.time === true) builder.enableTime().startPaused(true);
  const rt = builder.build();
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}

/** What `f` throws; fails the test (saying what it returned) if it returns. */
export function thrown(f: () => unknown): unknown {
  let out: unknown;
  try {
    out = f();
  } catch (e) {
    return e;
  }
  expect.fail(`expected a throw, but it returned ${String(out)}`);
}

/** What `f` throws, checked to be an instance of `cls` (an `Error` subclass, private constructor or not). */
export function thrownAs<E extends Error>(cls: Function & { prototype: E }, f: () => unknown): E {
  const e = thrown(f);
  if (!(e instanceof cls)) {
    expect.fail(`expected a ${cls.name}, but it threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  return e as E;
}
