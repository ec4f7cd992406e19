/**
 * `FastRand` (Tokio's `util/rand.rs` and `util/rand/rt.rs`): the small, fast, seedable generator the scheduler uses
 * to choose where to start looking for work to steal.
 *
 * It is a xorshift generator on two u32 words, `one` and `two`. A step:
 *
 *     s1 = one, s0 = two
 *     s1 ^= s1 << 17
 *     s1 = s1 ^ s0 ^ (s1 >>> 7) ^ (s0 >>> 16)
 *     one = s0, two = s1, output = s0 + s1 (mod 2^32)
 *
 * `fastrandN(n)` maps an output onto `0..n-1` by multiplication, `(output * n) >> 32`, which needs no division and
 * no rejection loop. An `RngSeedGenerator` hands out seeds for several generators from one seed (Tokio gives one to
 * each worker), so that the whole runtime follows from the seed given to `Builder.rngSeed`.
 *
 * Invariants: all state and outputs are u32; the state (0, 0) never occurs (it would output zeros forever), so a
 * seed of (0, 0) becomes (0, 1).
 */

/** A generator's seed: two u32 words. */
export class RngSeed {
  readonly s: number;
  readonly r: number;

  private constructor(s: number, r: number) {
    s >>>= 0;
    r >>>= 0;
    if (s === 0 && r === 0) r = 1;
    this.s = s;
    this.r = r;
  }

  /** Tokio's `from_pair`: (0, 0) is replaced by (0, 1). */
  static fromPair(s: number, r: number): RngSeed {
    return new RngSeed(s, r);
  }

  /** Tokio's `from_u64`: the high 32 bits and the low 32 bits of a non-negative integer (up to 2^53). */
  static fromNumber(seed: number): RngSeed {
    return new RngSeed(Math.floor(seed / 0x1_0000_0000), seed % 0x1_0000_0000);
  }

  /** A seed from `Math.random`, for runtimes built without `rngSeed`. */
  static random(): RngSeed {
    return new RngSeed(Math.floor(Math.random() * 0x1_0000_0000), Math.floor(Math.random() * 0x1_0000_0000));
  }
}

export class FastRand {
  #one: number;
  #two: number;

  constructor(seed: RngSeed) {
    this.#one = seed.s;
    this.#two = seed.r;
  }

  /** The next u32. */
  fastrand(): number {
    let s1 = this.#one;
    const s0 = this.#two;
    s1 = (s1 ^ (s1 << 17)) >>> 0;
    s1 = (s1 ^ s0 ^ (s1 >>> 7) ^ (s0 >>> 16)) >>> 0;
    this.#one = s0;
    this.#two = s1;
    return (s0 + s1) >>> 0;
  }

  /** A number in `0..n-1` (`n` a u32 greater than 0): `(fastrand() * n) >> 32`, computed exactly. */
  fastrandN(n: number): number {
    const r = this.fastrand();
    // r * n can exceed 2^53: multiply the two 16-bit halves of r separately.
    const hi = (r >>> 16) * n;
    const lo = (r & 0xffff) * n;
    return Math.floor((hi + Math.floor(lo / 0x1_0000)) / 0x1_0000);
  }
}

/** Seeds for many generators from one (Tokio's `RngSeedGenerator`): each seed is two outputs of its own generator. */
export class RngSeedGenerator {
  readonly #rand: FastRand;

  constructor(seed: RngSeed) {
    this.#rand = new FastRand(seed);
  }

  nextSeed(): RngSeed {
    const s = this.#rand.fastrand();
    const r = this.#rand.fastrand();
    return RngSeed.fromPair(s, r);
  }
}
