/**
 * `threadRngN(n)` (Tokio's `runtime/context.rs` `thread_rng_n`): the random numbers `select` starts from.
 *
 * Tokio keeps a `FastRand` (chapter 09) in each thread's context and reseeds it from the runtime's seed generator
 * whenever the thread enters a runtime, so a runtime built with `Builder.rngSeed(seed)` makes every `select!` of
 * its tasks start at the same branches, run after run. Our runtimes share JavaScript's one thread, so the
 * generator is kept per runtime instead: created the first time code running in that runtime asks, seeded from the
 * runtime's seed (or at random when none was set). Outside any runtime a single generator seeded at random serves
 * (Tokio's `FastRand::new()`).
 *
 * The seed goes through Tokio's chain of generators: the builder's `RngSeedGenerator(seed)` makes two
 * (`next_generator`), the first for the configuration and the second for the handle, and entering the runtime
 * draws the thread's seed from the handle's. (`rng_seed` is behind `tokio_unstable` in Tokio.) The
 * two rounds of xorshift also spread out small seeds such as 1, 2, 3, whose first outputs are nearly all zero.
 *
 * Invariant: for a runtime built with a seed, the k-th number drawn by code in it is the k-th `fastrandN` of
 * `threadRngFor(seed)`, whatever else happened before.
 */
import type { Handle } from "#kata/07-current-thread";
import { FastRand, RngSeed, RngSeedGenerator } from "#kata/09-work-stealing";
import { CONTEXT } from "#kit/context";

const perRuntime = new WeakMap<Handle, FastRand>();
let outsideRuntime: FastRand | null = null;

/** A number in `0..n-1` from the current runtime's generator (`n` a u32 greater than 0). */
export function threadRngN(n: number): number {
  return currentRng().fastrandN(n);
}

function currentRng(): FastRand {
  const handle = CONTEXT.handle;
  if (handle === null) return (outsideRuntime ??= new FastRand(RngSeed.random()));
  let rng = perRuntime.get(handle);
  if (rng === undefined) {
    const seed = runtimeSeed(handle);
    rng = seed === undefined ? new FastRand(RngSeed.random()) : threadRngFor(seed);
    perRuntime.set(handle, rng);
  }
  return rng;
}

/** The generator a runtime built with `Builder.rngSeed(seed)` draws from: builder -> handle -> thread. */
export function threadRngFor(seed: number): FastRand {
  const builder = new RngSeedGenerator(RngSeed.fromNumber(seed));
  builder.nextSeed(); // the first generator goes to the runtime's configuration (the workers')
  const handleSeeds = new RngSeedGenerator(builder.nextSeed());
  return new FastRand(handleSeeds.nextSeed());
}

/**
 * The seed the runtime was built with (`Builder.rngSeed`), if any. The scheduler's configuration carries it: chapter
 * 09's `MultiThreadConfig.rngSeed`; a scheduler whose configuration has none counts as unseeded.
 */
function runtimeSeed(handle: Handle): number | undefined {
  const config = (handle.inner as { readonly config?: { readonly rngSeed?: number } }).config;
  return config?.rngSeed;
}
