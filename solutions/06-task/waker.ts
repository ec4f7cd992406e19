/**
 * The task's waker (Tokio's `runtime/task/waker.rs`): the vtable through which every `Waker` of a task acts.
 *
 * - `clone` adds a reference; `drop` releases one (the last deallocates the task);
 * - `wake` is a wake by value: it consumes the waker's reference;
 * - `wakeByRef` keeps it.
 * Both wakes ask the state word what to do: submit the task to its scheduler, do nothing (already notified,
 * running, or complete), or deallocate (the consumed reference was the last).
 */
import { RawWaker, Waker, type Context, type RawWakerVTable, type WakerRef } from "#kata/03-waker";
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

/**
 * The context a poll of `task` receives. Its waker is borrowed (Tokio's `waker_ref`): it owns no reference, and a
 * future that must wake later clones it. Tokio builds it on the stack at every poll, for free; here it is a small
 * object made at every poll, which dies young and costs the collector next to nothing, where a context kept in
 * the cell would cost 40 bytes per live task.
 */
export function taskContext(task: RawTask): Context {
  return new TaskContext(task);
}

/**
 * The `Context` of one poll and the borrowed waker inside it, in one object: a `Context` holding a `Waker` built
 * from a `RawWaker` would be three. Clones are real `Waker`s: they own a reference.
 */
class TaskContext implements WakerRef {
  constructor(readonly task: RawTask) {}

  get waker(): WakerRef {
    return this;
  }

  get data(): unknown {
    return this.task;
  }

  get vtable(): RawWakerVTable {
    return TASK_WAKER_VTABLE;
  }

  clone(): Waker {
    return Waker.fromRaw(TASK_WAKER_VTABLE.clone(this.task));
  }

  wakeByRef(): void {
    wakeByRef(this.task);
  }

  willWake(other: WakerRef): boolean {
    return other.data === this.task && other.vtable === TASK_WAKER_VTABLE;
  }
}
