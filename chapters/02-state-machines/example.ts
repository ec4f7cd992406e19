/**
 * The seed's `example()`, compiled by hand.
 *
 *     async fn example() -> u32 {
 *         let x = read_value().await;   // suspension point 1
 *         let y = compute(x).await;     // suspension point 2
 *         x + y
 *     }
 *
 * A Rust compiler turns it into an enum with one variant per suspension point, holding exactly the locals that
 * are alive across that point. `Example` is that enum: `state` is one of the four variants below, and each
 * variant carries nothing more than it must.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

export type ExampleState =
  | { readonly tag: "Start" }
  | { readonly tag: "Awaiting1"; readonly fut: Future<number> }
  | { readonly tag: "Awaiting2"; readonly x: number; readonly fut: Future<number> }
  | { readonly tag: "Done" };

export class Example extends FutureBase<number> {
  // Sketch: #state: ExampleState, starting at { tag: "Start" }.

  constructor(
    private readonly readValue: () => Future<number>,
    private readonly compute: (x: number) => Future<number>,
  ) {
    super();
  }

  /** The current variant, for inspection. A new `Example` is in `Start`. */
  get state(): ExampleState {
    return todo("02-state-machines", "Example.state");
  }

  /**
   * Advances as far as it can: `Start` calls `readValue()` and moves to `Awaiting1`; `Awaiting1` polls that future
   * and, once it gives `x`, calls `compute(x)` and moves to `Awaiting2` (dropping the first future); `Awaiting2`
   * polls that future and, once it gives `y`, moves to `Done` and returns `x + y`. Returns `Pending` as soon as
   * a polled future does. Polled in `Done`: throws "`example()` polled after completion".
   */
  poll(cx: Context): Poll<number> {
    return todo("02-state-machines", "Example.poll");
  }

  /** Drops the future: disposes the future it is waiting on (if any) and moves to `Done`. */
  [Symbol.dispose](): void {
    todo("02-state-machines", "Example[Symbol.dispose]");
  }
}

export function example(readValue: () => Future<number>, compute: (x: number) => Future<number>): Example {
  return new Example(readValue, compute);
}
