/**
 * `pending()`: a future that never completes (Rust's `std::future::pending`).
 * It never stores the waker either, so nothing will ever wake whoever polls it.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase } from "./future.ts";
import { Pending, type Poll } from "./poll.ts";

export class PendingFuture<T> extends FutureBase<T> {
  poll(_cx: Context): Poll<T> {
    return Pending;
  }
}

export function pending<T = never>(): PendingFuture<T> {
  return new PendingFuture<T>();
}
