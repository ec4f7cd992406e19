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
import { Pending, type Poll } from "#kata/01-poll";
import type { Memory, Word } from "./memory.ts";
import type { Pin } from "./pin.ts";
import { pinned, project, unpinned } from "./project.ts";
import { pollReadLater, readLaterWords, type ReadLater } from "./read-later.ts";
import { Ref } from "./ref.ts";

export interface CountPolls {
  readonly polls: Word;
  readonly inner: ReadLater;
}

/** The projection of `CountPolls`: `polls` at word 0 (not pinned), `inner` from word 1 (pinned). */
export const COUNT_POLLS = { polls: unpinned(0), inner: pinned(1) } as const;

/** `CountPolls { polls: 0, inner: read_later(data, index) }`, placed in memory. */
export function countPolls(memory: Memory, data: readonly Word[], index: number): Ref<CountPolls> {
  return Ref.alloc<CountPolls>(memory, [0, ...readLaterWords(data, index)]);
}

export function pollCountPolls(self: Pin<Ref<CountPolls>>, cx: Context): Poll<[value: Word, polls: number]> {
  const { polls, inner } = project(self, COUNT_POLLS);
  const n = polls.read() + 1;
  polls.write(0, n);
  const out = pollReadLater(inner, cx);
  return out === Pending ? Pending : [out, n];
}
