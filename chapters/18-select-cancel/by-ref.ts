/**
 * `byRef(future)`: Rust's `&mut future` as a future of its own (`impl Future for &mut F`).
 *
 * `select` disposes the branches that lose, and `tryJoin` the children left when one fails. That is right for a
 * future made for the branch (`rx.recv()`), wrong for one that must outlive it: a deadline shared by every turn of
 * a loop, or a `oneshot` receiver (chapter 16), which *is* its own future, so disposing it would close the channel.
 * In Rust you keep such a future outside the `select!` and pass `&mut fut`: dropping a borrow drops nothing.
 *
 *     const deadline = sleep(1_000);
 *     for (;;) {
 *       const msg = yield* select([branch(rx.recv(), (m) => m), branch(byRef(deadline), () => undefined)]);
 *       if (msg === undefined) break;          // the same deadline, across every turn
 *     }
 *     deadline[Symbol.dispose]();
 *
 * Invariants: polling it polls `future`; disposing it does nothing (the owner disposes `future`).
 *
 * Task 4 of the lesson.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";

export class ByRef<T> extends FutureBase<T> {
  constructor(readonly future: Future<T>) {
    super();
  }

  poll(cx: Context): Poll<T> {
    return todo("18-select-cancel", "ByRef.poll");
  }
}

export function byRef<T>(future: Future<T>): ByRef<T> {
  return todo("18-select-cancel", "byRef");
}
