/**
 * Task ids (Tokio's `runtime/task/id.rs`): unique among all tasks of the process, starting at 1, never reused.
 */
let nextId = 1;

export function nextTaskId(): number {
  return nextId++;
}
