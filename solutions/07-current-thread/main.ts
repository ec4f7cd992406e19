/**
 * `main(body)`: what `#[tokio::main]` expands to (seed 5.2).
 *
 *     #[tokio::main(flavor = "current_thread")]     main(function* () {
 *     async fn main() { ... }                    ~>    ...
 *                                                 });
 *
 * Builds a runtime (current-thread with everything enabled, unless a builder is given), runs the body to
 * completion with `blockOn`, shuts the runtime down, and settles with the body's output.
 */
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { Builder } from "./builder.ts";

export async function main<T>(body: () => AsyncGen<T>, builder: Builder = Builder.newCurrentThread().enableAll()): Promise<T> {
  const rt = builder.build();
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}
