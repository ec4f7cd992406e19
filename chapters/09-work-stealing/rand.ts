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
import { todo } from "#kit/todo";

/** A generator's seed: two u32 words. */
export class RngSeed {
  private constructor(
    readonly s: number,
    readonly r: number,
  ) {}

  /** Tokio's `from_pair`: both words as u32 (`>>> 0`), and (0, 0) replaced by (0, 1). */
  static fromPair(s: number, r: number): RngSeed {
    return todo("09-work-stealing", "RngSeed.fromPair");
  }

  /** Tokio's `from_u64`: the high 32 bits and the low 32 bits of a non-negative integer (up to 2^53). */
  static fromNumber(seed: number): RngSeed {
    return todo("09-work-stealing", "RngSeed.fromNumber");
  }

  /** A seed from `Math.random`, for runtimes built without `rngSeed`. Given. */
  static random(): RngSeed {
    return new RngSeed(Math.floor(Math.random() * 0x1_0000_0000), 1 + Math.floor(Math.random() * 0xffff_ffff));
  }
}

export class FastRand {
  // Yours: the two words of state, initialised from `seed.s` (one) and `seed.r` (two).

  constructor(seed: RngSeed) {}

  /** The next u32 (see the step above). JavaScript's bit operators are signed: finish with `>>> 0`. */
  fastrand(): number {
    return todo("09-work-stealing", "FastRand.fastrand");
  }

  /**
   * A number in `0..n-1` (`n` a u32 greater than 0): `(fastrand() * n) >> 32`, computed exactly. The product can
   * pass 2^53, where doubles lose integers: multiply the high and low 16 bits of the output separately.
   */
  fastrandN(n: number): number {
    return todo("09-work-stealing", "FastRand.fastrandN");
  }
}

/** Seeds for many generators from one (Tokio's `RngSeedGenerator`): each seed is two outputs of its own generator. */
export class RngSeedGenerator {
  constructor(seed: RngSeed) {}

  /** `RngSeed.fromPair(first output, second output)` of the generator seeded by the constructor's seed. */
  nextSeed(): RngSeed {
    return todo("09-work-stealing", "RngSeedGenerator.nextSeed");
  }
}
