/**
 * `Poll<T>`: what one call to `poll` reports.
 *
 * Rust's `enum Poll<T> { Ready(T), Pending }` becomes a union with one unique symbol: a ready value is returned
 * as itself, so readiness costs no allocation, and `Pending` is the only value that means "not yet".
 * Invariant: no future ever completes with the `Pending` symbol as its output.
 */
export const Pending: unique symbol = Symbol("Pending");
export type Pending = typeof Pending;
export type Poll<T> = T | Pending;

/** Narrows a poll result to its ready value. */
export function isReady<T>(poll: Poll<T>): poll is T {
  return poll !== Pending;
}

/** Narrows a poll result to `Pending`. */
export function isPending<T>(poll: Poll<T>): poll is Pending {
  return poll === Pending;
}
