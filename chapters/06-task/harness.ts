/**
 * The harness (Tokio's `runtime/task/harness.rs`): everything that happens to a task, driven by its state word.
 *
 * Task 2 of the lesson (the JoinHandle helpers at the bottom belong to Task 4). Private helpers you will want,
 * as in Tokio: `pollFuture(task)` (poll once under try/catch, with `CONTEXT.currentTaskId` set), `cancelTask(task)`
 * (drop the future, store `JoinError.cancelled`, or `JoinError.panic` if the drop threw), `complete(task)` (the
 * completion protocol described in the lesson).
 */
import type { Poll } from "#kata/01-poll";
import type { WakerRef } from "#kata/03-waker";
import { todo } from "#kit/todo";
import type { RawTask } from "./core.ts";

/** Runs the task once: `startPoll`, and if it says so, `finishPoll`. The scheduler's Notified reference goes in. */
export function poll(task: RawTask): void {
  return todo("06-task", "poll");
}

/**
 * The first half of a poll: acts on `transitionToRunning`. `Success`: true (poll the future now). `Cancelled`:
 * cancel the task and complete it, false. `Failed`: false. `Dealloc`: free the task, false.
 */
export function startPoll(task: RawTask): boolean {
  return todo("06-task", "startPoll");
}

/**
 * The second half, with RUNNING held: polls the future once with `taskContext(task)`.
 * - ready: drop the future (dispose it: Rust drops a future as soon as it is ready), store the output, complete;
 * - threw: drop the future, store `JoinError.panic(task.id, thrown)`, complete;
 * - pending: act on `transitionToIdle`: `Ok` nothing; `OkNotified` requeue with `scheduler.yieldNow(task)`, then
 *   drop a reference; `OkDealloc` free the task; `Cancelled` cancel and complete.
 */
export function finishPoll(task: RawTask): void {
  return todo("06-task", "finishPoll");
}

/**
 * Runtime shutdown, called with the owned list's reference. `transitionToShutdown` false: drop that reference
 * (the poller, or completion, deals with the task). True: cancel the task and complete it.
 */
export function shutdown(task: RawTask): void {
  return todo("06-task", "shutdown");
}

/** `abort()`: if `transitionToNotifiedAndCancel` says so, schedule the task. */
export function remoteAbort(task: RawTask): void {
  return todo("06-task", "remoteAbort");
}

/**
 * The body of `JoinHandle.poll` (Task 4): if the task is complete, take its output (`task.takeOutput()`, which
 * throws its `JoinError`, or "JoinHandle polled after completion" if it was taken already). Otherwise store a
 * clone of `waker` under the JOIN_WAKER protocol (keep the stored one if it `willWake` the same task) and return
 * `Pending`.
 */
export function tryReadOutput<T>(task: RawTask<T>, waker: WakerRef): Poll<T> {
  return todo("06-task", "tryReadOutput");
}

/** Dropping a JoinHandle that could not take the fast path (Task 4): see `transitionToJoinHandleDropped`. */
export function dropJoinHandleSlow(task: RawTask): void {
  return todo("06-task", "dropJoinHandleSlow");
}
