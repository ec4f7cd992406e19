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
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { JoinError, type AbortHandle, type JoinHandle } from "#kata/06-task";
import { spawn, type Handle } from "#kata/07-current-thread";
import { withUnconstrained } from "#kata/14-blocking";
import { IdleNotifiedSet, type ListEntry } from "./idle-notified-set.ts";

export class JoinSet<T> implements Disposable {
  readonly #inner = new IdleNotifiedSet<JoinHandle<T>>();

  /** Tasks in the set (running, or finished and not yet joined). */
  len(): number {
    return this.#inner.len();
  }

  isEmpty(): boolean {
    return this.#inner.isEmpty();
  }

  /** Spawns `future` on the current runtime into the set. */
  spawn(future: Future<T>): AbortHandle {
    return this.#insert(spawn(future));
  }

  /** Spawns `future` on the runtime of `handle` into the set. */
  spawnOn(future: Future<T>, handle: Handle): AbortHandle {
    return this.#insert(handle.spawn(future));
  }

  #insert(jh: JoinHandle<T>): AbortHandle {
    const abort = jh.abortHandle();
    const entry = this.#inner.insertIdle(jh);
    // Tokio's `set_join_waker`: hand the entry's waker to the task, or notify the entry if the task is done.
    if (jh.isFinished()) entry.cx.waker.wakeByRef();
    else withUnconstrained(() => jh.poll(entry.cx));
    return abort;
  }

  /** The next completed task's output (throws its `JoinError`); `undefined` once the set is empty. */
  joinNext(): Future<T | undefined> {
    return new JoinNext(this);
  }

  /** Like `joinNext`, with the task's id: `[id, output]`. */
  joinNextWithId(): Future<[number, T] | undefined> {
    return new JoinNextWithId(this);
  }

  pollJoinNext(cx: Context): Poll<T | undefined> {
    const entry = this.#inner.popNotified(cx.waker);
    if (entry === null) return this.isEmpty() ? undefined : Pending;
    const out = this.#pollEntry(entry);
    if (out === Pending) cx.waker.wakeByRef();
    return out;
  }

  pollJoinNextWithId(cx: Context): Poll<[number, T] | undefined> {
    const entry = this.#inner.popNotified(cx.waker);
    if (entry === null) return this.isEmpty() ? undefined : Pending;
    const id = entry.value.id;
    const out = this.#pollEntry(entry);
    if (out === Pending) {
      cx.waker.wakeByRef();
      return Pending;
    }
    return [id, out];
  }

  /** The next completed task's output without waiting; `undefined` if none is ready. */
  tryJoinNext(): T | undefined {
    for (;;) {
      const entry = this.#inner.tryPopNotified();
      if (entry === null) return undefined;
      const out = withUnconstrained(() => this.#pollEntry(entry));
      if (out !== Pending) return out;
    }
  }

  /** Polls an entry's handle with the entry's waker; a finished one leaves the set (its handle dropped). */
  #pollEntry(entry: ListEntry<JoinHandle<T>>): Poll<T> {
    let out: Poll<T>;
    try {
      out = entry.value.poll(entry.cx);
    } catch (e) {
      this.#inner.remove(entry)[Symbol.dispose]();
      throw e;
    }
    if (out !== Pending) this.#inner.remove(entry)[Symbol.dispose]();
    return out;
  }

  /** Aborts every task; they stay in the set until joined. */
  abortAll(): void {
    this.#inner.forEach((jh) => jh.abort());
  }

  /** Empties the set without aborting: the tasks run on, detached. */
  detachAll(): void {
    this.#inner.drain((jh) => jh[Symbol.dispose]());
  }

  /** Aborts every task and waits until all have ended (their outputs and errors are dropped). */
  shutdown(): Future<void> {
    return new Shutdown(this);
  }

  /** Dropping the set aborts every task in it. */
  [Symbol.dispose](): void {
    this.#inner.drain((jh) => {
      jh.abort();
      jh[Symbol.dispose]();
    });
  }
}

class JoinNext<T> extends FutureBase<T | undefined> {
  constructor(readonly set: JoinSet<T>) {
    super();
  }

  poll(cx: Context): Poll<T | undefined> {
    return this.set.pollJoinNext(cx);
  }
}

class JoinNextWithId<T> extends FutureBase<[number, T] | undefined> {
  constructor(readonly set: JoinSet<T>) {
    super();
  }

  poll(cx: Context): Poll<[number, T] | undefined> {
    return this.set.pollJoinNextWithId(cx);
  }
}

class Shutdown<T> extends FutureBase<void> {
  #aborted = false;

  constructor(readonly set: JoinSet<T>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    if (!this.#aborted) {
      this.#aborted = true;
      this.set.abortAll();
    }
    while (!this.set.isEmpty()) {
      try {
        if (this.set.pollJoinNext(cx) === Pending) return Pending;
      } catch (e) {
        if (!(e instanceof JoinError)) throw e;
      }
    }
    return undefined;
  }
}
