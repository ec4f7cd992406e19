/**
 * The task's waker (Tokio's `runtime/task/waker.rs`): the vtable through which every `Waker` of a task acts.
 *
 * - `clone` adds a reference; `drop` releases one (the last deallocates the task);
 * - `wake` is a wake by value: it consumes the waker's reference;
 * - `wakeByRef` keeps it.
 * Both wakes ask the state word what to do: submit the task to its scheduler, do nothing (already notified,
 * running, or complete), or deallocate (the consumed reference was the last).
 */
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import type { RawTask } from "./core.ts";

export function wakeByVal(task: RawTask): void {
  switch (task.state.transitionToNotifiedByVal()) {
    case "Submit":
      task.scheduler.schedule(task);
      task.dropReference();
      break;
    case "Dealloc":
      task.dealloc();
      break;
    case "DoNothing":
      break;
  }
}

export function wakeByRef(task: RawTask): void {
  if (task.state.transitionToNotifiedByRef() === "Submit") task.scheduler.schedule(task);
}

export const TASK_WAKER_VTABLE: RawWakerVTable = {
  clone(data) {
    (data as RawTask).state.refInc();
    return new RawWaker(data, TASK_WAKER_VTABLE);
  },
  wake: (data) => wakeByVal(data as RawTask),
  wakeByRef: (data) => wakeByRef(data as RawTask),
  drop: (data) => (data as RawTask).dropReference(),
};

/** The context a poll of `task` receives. Its waker is borrowed (`waker_ref`): it owns no reference. */
export function taskContext(task: RawTask): Context {
  return (task.cx ??= new Context(Waker.fromRaw(new RawWaker(task, TASK_WAKER_VTABLE))));
}
