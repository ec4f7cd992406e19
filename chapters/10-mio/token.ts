/**
 * `Token` (mio's `token.rs`): the number a registration hands back with every event.
 *
 * mio never interprets a token: the caller picks it at `register` and reads it back from `Event.token()` to find
 * which of its sources is ready. Tokio uses the address of the source's `ScheduledIo`; we use a slot index.
 * Invariant: a token is a non-negative safe integer (Rust's `usize`).
 */
import { todo } from "#kit/todo";

export type Token = number;

/** Checks and returns a token: `Token(3)` reads like mio's `Token(3)`. Anything else is a `RangeError`. */
export function Token(n: number): Token {
  return todo("10-mio", "Token");
}
