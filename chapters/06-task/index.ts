/**
 * Chapter 06: the task cell, its state word, the harness, `JoinHandle`, `AbortHandle`, `JoinError`.
 */
export * as state from "./state.ts";
export { State, refCount, type TransitionToIdle, type TransitionToJoinHandleDrop, type TransitionToNotifiedByRef, type TransitionToNotifiedByVal, type TransitionToRunning } from "./state.ts";
export { RawTask, type Schedule } from "./core.ts";
export { JoinError, type JoinErrorKind } from "./error.ts";
export { nextTaskId } from "./id.ts";
export { poll, shutdown, remoteAbort } from "./harness.ts";
export { wakeByRef, wakeByVal, taskContext } from "./waker.ts";
export { JoinHandle } from "./join.ts";
export { AbortHandle } from "./abort.ts";
export { OwnedTasks } from "./list.ts";
export { UnownedTask, unowned } from "./unowned.ts";
