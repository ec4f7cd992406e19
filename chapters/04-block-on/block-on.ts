/**
 * `blockOn(future)`: run one future to completion, sleeping whenever it is pending.
 *
 * This is the bridge from the promise world into ours (Rust's `futures::executor::block_on`, Tokio's
 * `CachedParkThread::block_on`; seed 3.1, 10.1): the returned promise settles with the future's output, or
 * rejects with what its poll threw.
 * Invariants: the first poll happens inside the call; after that the future is polled only after its waker was
 * used, so there are no spurious polls; any number of wakes between two polls cause one poll; an idle `blockOn`
 * holds no timer and spins no loop: it awaits its parker. `blockOn` owns the future: if a poll throws, the future
 * is disposed (Rust drops it while unwinding) before the promise rejects with the poll's error; an error of that
 * dispose is discarded (in Rust a panic while unwinding aborts the process).
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";

// Make it an `async function` (the lesson says why). The stub is not one, so that it throws at the call, as the
// code to write will poll there.
export function blockOn<T>(future: Future<T>): Promise<T> {
  return todo("04-block-on", "blockOn");
}
