/**
 * `Context`: what a future receives on every poll. Today it carries only the waker of the task being polled,
 * as in Rust; the executor builds it, the future reads `cx.waker` (a borrow: `wakeByRef` or `clone`, never
 * `wake`) and clones it if it must wake later.
 */
import type { WakerRef } from "./waker.ts";

export class Context {
  constructor(readonly waker: WakerRef) {}

  static fromWaker(waker: WakerRef): Context {
    return new Context(waker);
  }
}
