/**
 * `JoinSet` (Tokio's `task/join_set.rs`): a set of spawned tasks whose outputs you collect in completion order.
 *
 *     const set = new JoinSet<number>();
 *     for (const url of urls) set.spawn(fetchLen(url));
 *     while (!set.isEmpty()) total += yield* set.joinNext();   // whichever finishes first comes first
 *
 * It replaces the hand-made list of `JoinHandle`s (seed 12.5: `Arc<Mutex<Vec<JoinHandle>>>`), which awaits in
 * spawn order (one slow task holds up the results of all the fast ones behind it) and leaks its tasks if the list
 * is dropped early.
 *
 * - `spawn(f)` spawns on the current runtime and returns an `AbortHandle`; the `JoinHandle` goes into an
 *   `IdleNotifiedSet`, registered with its entry's waker (Tokio's `set_join_waker`), so completion moves it to the
 *   notified list.
 * - `joinNext()`: the output of the next task to complete (or throws its `JoinError`); `undefined` once the set is
 *   empty. Cancel safe. If the handle polled is not ready (a spurious wake, or the budget ran out) the task wakes
 *   itself and returns `Pending`.
 * - `tryJoinNext()`: the same without waiting (and without spending budget); `undefined` if nothing is ready.
 * - `abortAll()`, `detachAll()`, `shutdown()` (abort all, then wait until every task has ended), and dropping the
 *   set (`[Symbol.dispose]`) aborts every task it still holds.
 *
 * `undefined` means "none" (Rust's `None`): for a `JoinSet<void>`, loop on `!set.isEmpty()` or use
 * `joinNextWithId()`, whose results are `[id, output]` pairs.
 */
import type { Context } from "#kata/03-waker";
import type { Future, Poll } from "#kata/01-poll";
import type { AbortHandle } from "#kata/06-task";
import type { Handle } from "#kata/07-current-thread";
import { todo } from "#kit/todo";

export class JoinSet<T> implements Disposable {
  // Sketch: an `IdleNotifiedSet<JoinHandle<T>>` (./idle-notified-set.ts).

  /** Tasks in the set (running, or finished and not yet joined). */
  len(): number {
    return todo("17-broadcast-watch", "JoinSet.len");
  }

  isEmpty(): boolean {
    return todo("17-broadcast-watch", "JoinSet.isEmpty");
  }

  /**
   * Spawns `future` on the current runtime (`spawn` of chapter 07, which throws outside a runtime) into the set.
   * The handle's waker must be the entry's before this returns: if the task is finished already, notify the entry;
   * otherwise poll the handle once with the entry's context, with no budget (`withUnconstrained`, chapter 14).
   */
  spawn(future: Future<T>): AbortHandle {
    return todo("17-broadcast-watch", "JoinSet.spawn");
  }

  /** Spawns `future` on the runtime of `handle` into the set. */
  spawnOn(future: Future<T>, handle: Handle): AbortHandle {
    return todo("17-broadcast-watch", "JoinSet.spawnOn");
  }

  /** The next completed task's output (throws its `JoinError`); `undefined` once the set is empty. */
  joinNext(): Future<T | undefined> {
    return todo("17-broadcast-watch", "JoinSet.joinNext");
  }

  /** Like `joinNext`, with the task's id: `[id, output]`. */
  joinNextWithId(): Future<[number, T] | undefined> {
    return todo("17-broadcast-watch", "JoinSet.joinNextWithId");
  }

  /**
   * One poll of `joinNext()`: pop a notified entry (registering `cx.waker` as the set's waker); none: `undefined`
   * if the set is empty, else `Pending`. Poll its handle with the entry's context: done (or thrown) → the entry
   * leaves the set and its handle is dropped; not done → wake `cx.waker` by reference and return `Pending`.
   */
  pollJoinNext(cx: Context): Poll<T | undefined> {
    return todo("17-broadcast-watch", "JoinSet.pollJoinNext");
  }

  pollJoinNextWithId(cx: Context): Poll<[number, T] | undefined> {
    return todo("17-broadcast-watch", "JoinSet.pollJoinNextWithId");
  }

  /** The next completed task's output without waiting; `undefined` if none is ready. */
  tryJoinNext(): T | undefined {
    return todo("17-broadcast-watch", "JoinSet.tryJoinNext");
  }

  /** Aborts every task; they stay in the set until joined. */
  abortAll(): void {
    todo("17-broadcast-watch", "JoinSet.abortAll");
  }

  /** Empties the set without aborting: the tasks run on, detached. */
  detachAll(): void {
    todo("17-broadcast-watch", "JoinSet.detachAll");
  }

  /** Aborts every task (on its first poll) and waits until all have ended (their outputs and errors dropped). */
  shutdown(): Future<void> {
    return todo("17-broadcast-watch", "JoinSet.shutdown");
  }

  /** Dropping the set aborts every task in it (and drops their handles). */
  [Symbol.dispose](): void {
    todo("17-broadcast-watch", "JoinSet[Symbol.dispose]");
  }
}
