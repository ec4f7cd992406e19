/**
 * Seeds for deterministic concurrency tests.
 *
 * `rng(seed)` is a small, fast, seedable generator (mulberry32). `withSeed(seed, f)` runs `f` and, if it throws,
 * rethrows with the seed in the message, so that a failure can be replayed exactly:
 *
 *     await withSeed(seed, () => scenario(seed));   // "seed 1234: expected ... "
 *
 * `seeds(n, base)` gives `n` seeds; `KATA_SEED=1234` in the environment replaces them with that one seed.
 */
export { mulberry32 as rng } from "#kit/rng";

export function seeds(n: number, base = 1): number[] {
  const fixed = process.env.KATA_SEED;
  if (fixed !== undefined && fixed !== "") return [Number(fixed) >>> 0];
  return Array.from({ length: n }, (_, i) => (base + i * 2654435761) >>> 0);
}

function annotate(seed: number, replay: string, e: unknown): unknown {
  if (e instanceof Error) {
    e.message = `seed ${seed} (${replay}): ${e.message}`;
    return e;
  }
  return new Error(`seed ${seed} (${replay}): ${String(e)}`);
}

/**
 * Runs `f`; a failure is rethrown with the seed in its message, and `replay` (by default "replay with KATA_SEED=n";
 * a test whose seed cannot fix everything, such as one on real threads, says what it does fix).
 */
export function withSeed<R>(seed: number, f: () => R, replay = `replay with KATA_SEED=${seed}`): R {
  try {
    const out = f();
    if (out instanceof Promise) return out.catch((e: unknown) => Promise.reject(annotate(seed, replay, e))) as R;
    return out;
  } catch (e) {
    throw annotate(seed, replay, e);
  }
}
