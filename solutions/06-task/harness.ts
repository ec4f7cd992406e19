/**
 * The harness (Tokio's `runtime/task/harness.rs`): everything that happens to a task, driven by its state word.
 *
 * - `poll(task)`: a scheduler popped the task. Transition to running; if cancelled, drop the future and store
 *   a cancellation; else poll the future once. Ready: drop the future (as Rust does at once, so the wakers it
 *   holds are released), store the output and complete. Pending: transition to idle;
 *   if it was woken during the poll, requeue it (at the back: `yieldNow`); if it was aborted during the poll,
 *   cancel it now. A future that throws has panicked: its error becomes `JoinError.panic`.
 *   The poll is written as two halves, `startPoll` and `finishPoll`, because a blocking job (chapter 14) runs
 *   between them on a worker thread; Tokio's `poll_inner` and `poll` do the same work in one call.
 * - `complete`: wake the JoinHandle if it waits, drop the output if nobody will read it, release the task from
 *   its scheduler and drop the references that completion ends.
 * - `shutdown(task)`: runtime shutdown: cancel an idle task now; a running one is cancelled when its poll ends.
 * - `remoteAbort(task)`: `abort()`: mark cancelled; submit the task so the cancellation happens at its next poll.
 */
import { Pending, type Poll } from "#kata/01-poll";
import type { Waker, WakerRef } from "#kata/03-waker";
import { CONTEXT } from "#kit/context";
import type { RawTask } from "./core.ts";
import { JoinError } from "./error.ts";
import { COMPLETE, isSet, JOIN_INTEREST, JOIN_WAKER } from "./state.ts";
import { taskContext } from "./waker.ts";

/** Runs the task once: the scheduler's Notified reference is handed to this call. */
export function poll(task: RawTask): void {
  if (startPoll(task)) finishPoll(task);
}

/**
 * The first half of a poll: claims the RUNNING bit. True if the future must now be polled; false if the task
 * was cancelled (it is complete now), is already running or complete elsewhere, or this was its last reference.
 */
export function startPoll(task: RawTask): boolean {
  switch (task.state.transitionToRunning()) {
    case "Success":
      return true;
    case "Cancelled":
      cancelTask(task);
      complete(task);
      return false;
    case "Failed":
      return false;
    case "Dealloc":
      task.dealloc();
      return false;
  }
}

/** The second half: polls the future once while RUNNING is held, then completes, requeues or idles the task. */
export function finishPoll(task: RawTask): void {
  if (pollFuture(task) !== Pending) {
    complete(task);
    return;
  }
  switch (task.state.transitionToIdle()) {
    case "Ok":
      return;
    case "OkNotified":
      // Woken during its own poll: requeue it behind the others, then drop the reference this poll held.
      task.scheduler.yieldNow(task);
      task.dropReference();
      return;
    case "OkDealloc":
      task.dealloc();
      return;
    case "Cancelled":
      cancelTask(task);
      complete(task);
      return;
  }
}

/** Polls the future once; on ready (or panic) stores the outcome. */
function pollFuture(task: RawTask): Poll<void> {
  const prevId = CONTEXT.currentTaskId;
  CONTEXT.currentTaskId = task.id;
  let out: unknown;
  try {
    out = task.future!.poll(taskContext(task));
    // As in Rust, a future is dropped as soon as it is ready (releasing the wakers it holds); a throw from its
    // drop is a panic too.
    if (out !== Pending) task.dropFutureOrOutput();
  } catch (panic) {
    // Rust drops the future while unwinding, then stores the panic.
    dropFuture(task);
    task.storeError(JoinError.panic(task.id, panic));
    return undefined;
  } finally {
    CONTEXT.currentTaskId = prevId;
  }
  if (out === Pending) return Pending;
  task.storeOutput(out);
  return undefined;
}

/** Drops the future; a throw while dropping is returned (it becomes the task's panic). */
function dropFuture(task: RawTask): unknown {
  try {
    task.dropFutureOrOutput();
    return undefined;
  } catch (panic) {
    return panic ?? new Error("dispose threw undefined");
  }
}

function cancelTask(task: RawTask): void {
  const panic = dropFuture(task);
  task.storeError(panic === undefined ? JoinError.cancelled(task.id) : JoinError.panic(task.id, panic));
}

function complete(task: RawTask): void {
  const snapshot = task.state.transitionToComplete();
  if (!isSet(snapshot, JOIN_INTEREST)) {
    // Nobody will read the output: drop it now.
    task.dropFutureOrOutput();
  } else if (isSet(snapshot, JOIN_WAKER)) {
    wakeJoinWaker(task.joinWaker!);
    // The JoinHandle was dropped while we woke it: the waker is ours to drop.
    if (!isSet(task.state.unsetWakerAfterComplete(), JOIN_INTEREST)) dropJoinWaker(task);
  }
  // The reference of the poll (or of shutdown), plus the owned list's if the scheduler gave it back.
  const released = task.scheduler.release(task) ? 2 : 1;
  if (task.state.transitionToTerminal(released)) task.dealloc();
}

/**
 * Wakes the JoinHandle's waiter. A throw from its waker is discarded, as Tokio's `complete` discards the panic
 * (`catch_unwind`): the outcome is stored, and the task must still be released.
 */
function wakeJoinWaker(waker: Waker): void {
  try {
    waker.wakeByRef();
  } catch {
    // Discarded.
  }
}

/** Runtime shutdown, with the owned list's reference: cancels the task now if it is idle. */
export function shutdown(task: RawTask): void {
  if (!task.state.transitionToShutdown()) {
    // Running (its poller cancels it when the poll ends) or complete already.
    task.dropReference();
    return;
  }
  cancelTask(task);
  complete(task);
}

export function remoteAbort(task: RawTask): void {
  if (task.state.transitionToNotifiedAndCancel()) task.scheduler.schedule(task);
}

/**
 * Called by the JoinHandle's poll: true if the output can be read now; otherwise the JoinHandle's waker is
 * stored (or kept, if it would wake the same task) under the JOIN_WAKER protocol and false is returned.
 */
function canReadOutput(task: RawTask, waker: WakerRef): boolean {
  const snapshot = task.state.load();
  if (isSet(snapshot, COMPLETE)) return true;
  if (isSet(snapshot, JOIN_WAKER)) {
    if (task.joinWaker!.willWake(waker)) return false;
    // Take the waker back from the runtime before replacing it; if the task completed meanwhile, read.
    if (!task.state.unsetWaker()) return true;
  }
  return !trySetJoinWaker(task, waker.clone());
}

/** Stores `waker` and hands it to the runtime (JOIN_WAKER); false (and the waker dropped) if the task completed. */
function trySetJoinWaker(task: RawTask, waker: Waker): boolean {
  const old = task.joinWaker;
  task.joinWaker = waker;
  old?.drop();
  if (task.state.setJoinWaker()) return true;
  dropJoinWaker(task);
  return false;
}

function dropJoinWaker(task: RawTask): void {
  const w = task.joinWaker;
  task.joinWaker = null;
  w?.drop();
}

/** Reads the output if the task is complete, else registers the waker: the body of `JoinHandle.poll`. */
export function tryReadOutput<T>(task: RawTask<T>, waker: WakerRef): Poll<T> {
  return canReadOutput(task, waker) ? task.takeOutput() : Pending;
}

/** Dropping a JoinHandle that could not take the fast path. */
export function dropJoinHandleSlow(task: RawTask): void {
  const t = task.state.transitionToJoinHandleDropped();
  if (t.dropOutput) task.dropFutureOrOutput();
  if (t.dropWaker) dropJoinWaker(task);
  task.dropReference();
}
