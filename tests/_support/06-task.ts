/**
 * Test helpers for chapter 06: a tiny scheduler that records every call the harness makes, and futures whose
 * polls, wakes and drops the tests control and count.
 */
import { Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context, Waker } from "#kata/03-waker";
import { JoinError, JoinHandle, nextTaskId, poll, RawTask, type Schedule } from "#kata/06-task";
import { probe } from "./poll.ts";

/**
 * A scheduler that records `schedule`, `yieldNow` and `release` calls (as "schedule 7", "yieldNow 7",
 * "release 7") and keeps a FIFO run queue. It holds the owned reference of the tasks it spawns, like an
 * `OwnedTasks` list, and gives it back in `release`.
 */
export class RecordingScheduler implements Schedule {
  readonly calls: string[] = [];
  readonly queue: RawTask[] = [];
  readonly owned = new Set<RawTask>();

  schedule(task: RawTask): void {
    this.calls.push(`schedule ${task.id}`);
    this.queue.push(task);
  }

  yieldNow(task: RawTask): void {
    this.calls.push(`yieldNow ${task.id}`);
    this.queue.push(task);
  }

  release(task: RawTask): boolean {
    this.calls.push(`release ${task.id}`);
    return this.owned.delete(task);
  }

  /** A new task in its initial state, owned by this scheduler and scheduled once (its first Notified). */
  spawn<T>(future: Future<T>): { join: JoinHandle<T>; task: RawTask<T> } {
    const task = new RawTask(future, this, nextTaskId());
    this.owned.add(task);
    const join = new JoinHandle(task);
    this.schedule(task);
    return { join, task };
  }

  /** Pops and polls the next task; false if the queue was empty. */
  runNext(): boolean {
    const task = this.queue.shift();
    if (task === undefined) return false;
    poll(task);
    return true;
  }

  /** Runs until the queue is empty (at most `limit` polls). Returns the number of polls. */
  runAll(limit = 1000): number {
    let n = 0;
    while (n < limit && this.runNext()) n++;
    return n;
  }

  /** The calls recorded for one task, without its id. */
  callsOf(task: RawTask): string[] {
    return this.calls.filter((c) => c.endsWith(` ${task.id}`)).map((c) => c.slice(0, c.indexOf(" ")));
  }
}

/**
 * A leaf future the test steers, like a socket or a timer would: each poll runs `onPoll` (if any), keeps a clone of the waker (unless the one it has
 * wakes the same task), and returns the next scripted result, or `Pending` once the script is used up. It counts
 * polls and disposals; disposing it drops the waker it keeps.
 */
export class LeafFuture<T> implements Future<T> {
  polls = 0;
  disposed = 0;
  waker: Waker | null = null;
  #script: Poll<T>[];

  constructor(
    script: Poll<T>[] = [],
    readonly onPoll: (cx: Context, self: LeafFuture<T>) => void = () => {},
  ) {
    this.#script = [...script];
  }

  poll(cx: Context): Poll<T> {
    this.polls++;
    this.onPoll(cx, this);
    if (this.waker === null || !this.waker.willWake(cx.waker)) {
      this.waker?.drop();
      this.waker = cx.waker.clone();
    }
    return this.#script.length > 0 ? this.#script.shift()! : Pending;
  }

  /** Makes the next poll return `value`, and wakes the task with the stored waker (by reference). */
  resolve(value: T): void {
    this.#script = [value];
    this.waker?.wakeByRef();
  }

  *[Symbol.iterator](): Generator<Future<unknown>, T, unknown> {
    return (yield this) as T;
  }

  [Symbol.dispose](): void {
    this.disposed++;
    this.waker?.drop();
    this.waker = null;
  }
}

/** A state word spelled out, for failure messages. */
export function describeWord(word: number): string {
  const flags = ["RUNNING", "COMPLETE", "NOTIFIED", "JOIN_INTEREST", "JOIN_WAKER", "CANCELLED"].filter(
    (_, i) => (word & (1 << i)) !== 0,
  );
  return `${flags.join("|") || "(no flags)"} refs=${Math.floor(word / 64)}`;
}

/**
 * Polls a finished task's JoinHandle once (with a fresh probe) and returns the JoinError it throws; throws a
 * descriptive error if it returns a value or `Pending` instead.
 */
export function joinErrorOf(handle: Future<unknown>): JoinError {
  let out: unknown;
  try {
    out = probe().poll(handle);
  } catch (e) {
    if (e instanceof JoinError) return e;
    throw e;
  }
  throw new Error(`expected the JoinHandle to throw a JoinError, but it returned ${String(out)}`);
}
