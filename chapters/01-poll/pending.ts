/**
 * `pending()`: a future that never completes (Rust's `std::future::pending`).
 * It never stores the waker either, so nothing will ever wake whoever polls it.
 */
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import { FutureBase } from "./future.ts";
import type { Poll } from "./poll.ts";

export class PendingFuture<T> extends FutureBase<T> {
  /** Always `Pending`; never touches `cx.waker` (no clone, no wake). */
  poll(_cx: Context): Poll<T> {
    return todo("01-poll", "PendingFuture.poll");
  }
}

export function pending<T = never>(): PendingFuture<T> {
  return new PendingFuture<T>();
}
