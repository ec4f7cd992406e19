/**
 * `Token` (mio's `token.rs`): the number a registration hands back with every event.
 *
 * mio never interprets a token: the caller picks it at `register` and reads it back from `Event.token()` to find
 * which of its sources is ready. Tokio uses the address of the source's `ScheduledIo`; we use a slot index.
 * Invariant: a token is a non-negative safe integer (Rust's `usize`).
 */
export type Token = number;

/** Checks and returns a token: `Token(3)` reads like mio's `Token(3)`. */
export function Token(n: number): Token {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a Token is a non-negative integer, got ${n}`);
  return n;
}
