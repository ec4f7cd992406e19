/**
 * The task's waker (Tokio's `runtime/task/waker.rs`): the vtable through which every `Waker` of a task acts.
 *
 * - `clone` adds a reference; `drop` releases one (the last deallocates the task);
 * - `wake` is a wake by value: it consumes the waker's reference;
 * - `wakeByRef` keeps it.
 * Both wakes ask the state word what to do: submit the task to its scheduler, do nothing (already notified,
 * running, or complete), or deallocate (the consumed reference was the last).
 *
 * Task 3 of the lesson.
 */
import { Context, RawWaker, type RawWakerVTable } from "#kata/03-waker";
import { todo } from "#kit/todo";
import type { RawTask } from "./core.ts";

/**
 * A wake that consumes a reference (the caller's): act on `transitionToNotifiedByVal`. `Submit`: schedule the
 * task, then drop the caller's reference; `Dealloc`: free the task; `DoNothing`: nothing.
 */
export function wakeByVal(task: RawTask): void {
  return todo("06-task", "wakeByVal");
}

/** A wake that keeps the caller's reference: on `Submit` from `transitionToNotifiedByRef`, schedule the task. */
export function wakeByRef(task: RawTask): void {
  return todo("06-task", "wakeByRef");
}

/** The vtable of every task waker; `data` is the `RawTask`. */
export const TASK_WAKER_VTABLE: RawWakerVTable = {
  clone(data): RawWaker {
    return todo("06-task", "TASK_WAKER_VTABLE.clone");
  },
  wake(data) {
    return todo("06-task", "TASK_WAKER_VTABLE.wake");
  },
  wakeByRef(data) {
    return todo("06-task", "TASK_WAKER_VTABLE.wakeByRef");
  },
  drop(data) {
    return todo("06-task", "TASK_WAKER_VTABLE.drop");
  },
};

/**
 * The context a poll of `task` receives, made for that poll (Tokio's `waker_ref` builds it on the stack). Its waker
 * is borrowed: it owns no reference, and the future only ever gets it as a `WakerRef` (clone it to keep it).
 */
export function taskContext(task: RawTask): Context {
  return todo("06-task", "taskContext");
}
