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
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";

export type ExampleState =
  | { readonly tag: "Start" }
  | { readonly tag: "Awaiting1"; readonly fut: Future<number> }
  | { readonly tag: "Awaiting2"; readonly x: number; readonly fut: Future<number> }
  | { readonly tag: "Done" };

export class Example extends FutureBase<number> {
  #state: ExampleState = { tag: "Start" };

  constructor(
    private readonly readValue: () => Future<number>,
    private readonly compute: (x: number) => Future<number>,
  ) {
    super();
  }

  /** The current variant, for inspection. */
  get state(): ExampleState {
    return this.#state;
  }

  poll(cx: Context): Poll<number> {
    for (;;) {
      const s = this.#state;
      switch (s.tag) {
        case "Start":
          this.#state = { tag: "Awaiting1", fut: this.readValue() };
          break;
        case "Awaiting1": {
          const x = s.fut.poll(cx);
          if (x === Pending) return Pending;
          this.#state = { tag: "Awaiting2", x, fut: this.compute(x) };
          break;
        }
        case "Awaiting2": {
          const y = s.fut.poll(cx);
          if (y === Pending) return Pending;
          this.#state = { tag: "Done" };
          return s.x + y;
        }
        case "Done":
          throw new Error("`example()` polled after completion");
      }
    }
  }

  [Symbol.dispose](): void {
    const s = this.#state;
    this.#state = { tag: "Done" };
    if (s.tag === "Awaiting1" || s.tag === "Awaiting2") s.fut[Symbol.dispose]?.();
  }
}

export function example(readValue: () => Future<number>, compute: (x: number) => Future<number>): Example {
  return new Example(readValue, compute);
}
