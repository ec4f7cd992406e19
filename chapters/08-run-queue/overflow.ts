/**
 * `Overflow` (Tokio's `runtime/scheduler/multi_thread/overflow.rs`): where a full local queue sends work.
 *
 * Given code, not an exercise. The runtime's inject queue is the overflow: chapter 07's `Inject<number>`
 * satisfies this interface as it is, and chapter 09's scheduler implements it by mapping task indices to tasks.
 * `pushBatch` receives the batch only for the duration of the call (the queue reuses it): copy what you keep.
 */
export interface Overflow {
  /** One task: the queue was full while a stealer was busy on it, so only the new task moves out. */
  push(task: number): void;
  /** The newest half of a full queue and then the new task, oldest first (129 tasks). */
  pushBatch(tasks: Iterable<number>): void;
}
