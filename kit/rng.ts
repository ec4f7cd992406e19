/**
 * `mulberry32(seed)`: a small, fast, seedable generator of numbers in [0, 1).
 *
 * Given code, not an exercise. The same seed gives the same sequence on every machine, which is what the simulated
 * network (chapter 10), the seeded tests and the benchmarks need to replay a run exactly. Not for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
