/**
 * `ready(value)`: a future that is complete on its first poll (Rust's `std::future::ready`).
 * Invariant: it hands its value out once; a second poll is a misuse and throws.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase } from "./future.ts";
import type { Poll } from "./poll.ts";

export class Ready<T> extends FutureBase<T> {
  #value: T;
  #taken = false;

  constructor(value: T) {
    super();
    this.#value = value;
  }

  poll(_cx: Context): Poll<T> {
    if (this.#taken) throw new Error("`Ready` polled after completion");
    this.#taken = true;
    return this.#value;
  }
}

export function ready<T>(value: T): Ready<T> {
  return new Ready(value);
}
