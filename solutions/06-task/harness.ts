/**
 * The harness (Tokio's `runtime/task/harness.rs`): everything that happens to a task, driven by its state word.
 *
 * - `poll(task)`: a scheduler popped the task. Transition to running; if cancelled, drop the future and store
 *   a cancellation; else poll the future once. Ready: store the output and complete. Pending: transition to idle;
 *   if it was woken during the poll, requeue it (at the back: `yieldNow`); if it was aborted during the poll,
 *   cancel it now. A future that throws has panicked: its error becomes `JoinError.panic`.
 * - `complete`: wake the JoinHandle if it waits, drop the output if nobody will read it, release the task from
 *   its scheduler and drop the references that completion ends.
 * - `shutdown(task)`: runtime shutdown: cancel an idle task now; a running one is cancelled when its poll ends.
 * - `remoteAbort(task)`: `abort()`: mark cancelled; submit the task so the cancellation happens at its next poll.
 */
import { Pending, type Poll } from "#kata/01-poll";
import type { Waker, WakerRef } from "#kata/03-waker";
import { CONTEXT } from "#kit/context";
import { STAGE_CONSUMED, STAGE_FINISHED, type RawTask } from "./core.ts";
import { JoinError } from "./error.ts";
import { isSet, JOIN_INTEREST, JOIN_WAKER } from "./state.ts";
import { taskContext } from "./waker.ts";

type PollFuture = "Complete" | "Notified" | "Done" | "Dealloc";

export function poll(task: RawTask): void {
  switch (pollInner(task)) {
    case "Notified":
      task.scheduler.yieldNow(task);
      task.dropReference();
      break;
    case "Complete":
      complete(task);
      break;
    case "Dealloc":
      task.dealloc();
      break;
    case "Done":
      break;
  }
}

function pollInner(task: RawTask): PollFuture {
  switch (task.state.transitionToRunning()) {
    case "Success":
      return pollFuture(task) === Pending ? afterPending(task) : "Complete";
    case "Cancelled":
      cancelTask(task);
      return "Complete";
    case "Failed":
      return "Done";
    case "Dealloc":
      return "Dealloc";
  }
}

function afterPending(task: RawTask): PollFuture {
  switch (task.state.transitionToIdle()) {
    case "Ok":
      return "Done";
    case "OkNotified":
      return "Notified";
    case "OkDealloc":
      return "Dealloc";
    case "Cancelled":
      cancelTask(task);
      return "Complete";
  }
}

/** Polls the future once; on ready (or panic) stores the outcome. */
function pollFuture(task: RawTask): Poll<void> {
  const prevId = CONTEXT.currentTaskId;
  CONTEXT.currentTaskId = task.id;
  let out: unknown;
  try {
    out = task.future!.poll(taskContext(task));
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

/** Drops the future; a throw while dropping becomes the task's panic. */
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
    task.dropFutureOrOutput();
  } else if (isSet(snapshot, JOIN_WAKER)) {
    task.joinWaker!.wakeByRef();
    if (!isSet(task.state.unsetWakerAfterComplete(), JOIN_INTEREST)) {
      const w = task.joinWaker;
      task.joinWaker = null;
      w?.drop();
    }
  }
  const released = task.scheduler.release(task) ? 2 : 1;
  if (task.state.transitionToTerminal(released)) task.dealloc();
}

export function shutdown(task: RawTask): void {
  if (!task.state.transitionToShutdown()) {
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
export function canReadOutput(task: RawTask, waker: WakerRef): boolean {
  const snapshot = task.state.load();
  if (task.state.isComplete()) return true;
  if (isSet(snapshot, JOIN_WAKER)) {
    if (task.joinWaker!.willWake(waker)) return false;
    if (!task.state.unsetWaker()) return true;
  }
  return setJoinWaker(task, waker.clone());
}

function setJoinWaker(task: RawTask, waker: Waker): boolean {
  const old = task.joinWaker;
  task.joinWaker = waker;
  old?.drop();
  if (task.state.setJoinWaker()) return false;
  task.joinWaker = null;
  waker.drop();
  return true;
}

/** Takes the stored outcome: the output, or throws the stored `JoinError`. */
export function takeOutput<T>(task: RawTask<T>): T {
  if (task.stage !== STAGE_FINISHED) throw new Error("JoinHandle polled after completion");
  const { output, error } = task;
  task.output = undefined;
  task.error = null;
  task.stage = STAGE_CONSUMED;
  if (error !== null) throw error;
  return output as T;
}

/** Dropping a JoinHandle that could not take the fast path. */
export function dropJoinHandleSlow(task: RawTask): void {
  const t = task.state.transitionToJoinHandleDropped();
  if (t.dropOutput) task.dropFutureOrOutput();
  if (t.dropWaker) {
    const w = task.joinWaker;
    task.joinWaker = null;
    w?.drop();
  }
  task.dropReference();
}

/** Reads the output if the task is complete, else registers the waker: the body of `JoinHandle.poll`. */
export function tryReadOutput<T>(task: RawTask<T>, waker: WakerRef): Poll<T> {
  return canReadOutput(task, waker) ? takeOutput(task) : Pending;
}
