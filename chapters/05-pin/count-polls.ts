/**
 * `CountPolls`: a combinator that counts the polls of the future it wraps, written with a pin projection.
 *
 *     #[pin_project]
 *     struct CountPolls { polls: u32, #[pin] inner: ReadLater }
 *
 * laid out as `[polls, ...inner]`. `inner` is structurally pinned (it may point into itself); `polls` is a plain
 * counter, reached as an ordinary `Ref`. The struct is `!Unpin` because `inner` is: `IsUnpin` sees it through the
 * fields, as Rust's auto trait does.
 *
 * Invariants: each poll adds one to `polls` and polls `inner` once through its pinned projection; when `inner` is
 * ready with `v`, the poll returns `[v, polls]`.
 */
import type { Context } from "#kata/03-waker";
import type { Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { Memory, Word } from "./memory.ts";
import type { Pin } from "./pin.ts";
import { pinned, unpinned } from "./project.ts";
import type { ReadLater } from "./read-later.ts";
import type { Ref } from "./ref.ts";

export interface CountPolls {
  readonly polls: Word;
  readonly inner: ReadLater;
}

/** The projection of `CountPolls`: `polls` at word 0 (not pinned), `inner` from word 1 (pinned). */
export const COUNT_POLLS = { polls: unpinned(0), inner: pinned(1) } as const;

/** `CountPolls { polls: 0, inner: read_later(data, index) }`, placed in memory. */
export function countPolls(memory: Memory, data: readonly Word[], index: number): Ref<CountPolls> {
  return todo("05-pin", "countPolls");
}

/** Adds one to `polls`, polls `inner` once through its pinned projection; ready `v` gives `[v, polls]`. */
export function pollCountPolls(self: Pin<Ref<CountPolls>>, cx: Context): Poll<[value: Word, polls: number]> {
  return todo("05-pin", "pollCountPolls");
}
