/**
 * `blockInPlace(f)` (Tokio's `runtime/scheduler/multi_thread/worker.rs` `block_in_place`): run blocking code inside a
 * task without stalling the tasks queued behind it.
 *
 * A task that blocks its worker thread (a synchronous client, a long computation) also blocks every task in that
 * worker's queue (seed 10.5). On the multi-thread runtime `blockInPlace` first moves the worker *off* the thread:
 *
 *     wake the worker's deferred wakers       (they are not part of the core)
 *     move the LIFO task into the run queue   (the LIFO slot cannot be stolen; the queue can)
 *     hand the core to a new thread           (Tokio: spawn_blocking(run(worker)); here a new logical worker
 *                                              thread of the interleaver, for the same worker index)
 *     stop the budget, leave the runtime      (coop::stop, exit_runtime), run f
 *     set the budget back
 *
 * The calling thread keeps no core: the rest of the task's poll runs "beside" the runtime, its wakes go through the
 * inject queue, its deferred wakes happen at once, and once the poll is over the old thread is gone. Tokio's
 * `Reset` guard may take the core back if the new thread has not started yet (`f` was quick); our `f` runs to the
 * end before any other thread can move, so we model the case `blockInPlace` exists for: `f` took long enough that
 * the new thread had taken over.
 *
 * Where it is called from decides what it does:
 * - outside any runtime, or inside `f` of another `blockInPlace` (the runtime already exited): just `f()`;
 * - on a worker of the multi-thread runtime: all of the above; on one whose core is already gone (a second call in
 *   the same poll): leave the runtime and run `f`, nothing to hand over;
 * - in the future of a multi-thread `blockOn` (not a worker): leave the runtime and run `f`;
 * - on the current-thread runtime (a task, or its `blockOn`): an error, Tokio's panic: there is no other worker to
 *   take over, so blocking would stall everything.
 *
 * Task 2 of the lesson (the message and `CorelessThread` are given).
 */
import type { WakerRef } from "#kata/03-waker";
import type { Handle } from "#kata/07-current-thread";
import type { Worker } from "#kata/09-work-stealing";
import type { SchedulerContext } from "#kit/context";
import { todo } from "#kit/todo";

export const BLOCK_IN_PLACE_CURRENT_THREAD_ERROR = "can call blocking only when running on the multi-threaded runtime";

/**
 * Runs the blocking closure `f` on this thread after moving this worker's tasks off it. See the module comment for
 * what each context does; the multi-thread worker case hands the core off (below), then, like the other entered
 * cases: `stop()` the budget (chapter 14), `exitRuntime(f)`, and put the budget back (`restore`) if there was one.
 */
export function blockInPlace<R>(f: () => R): R {
  return todo("15-coloring", "blockInPlace");
}

// The hand-off (Tokio's `maybe_move_runtime`), for a `Worker` of chapter 09 (`CONTEXT.scheduler instanceof Worker`):
//   1. wake the worker's `deferred`;
//   2. move the task in `core.lifoSlot` (if any) to the back of `core.runQueue` (`pushBackOrOverflow(task.schedulerData,
//      worker.shared, core.metrics)`), leaving the slot empty;
//   3. make a new `Worker` for the same index, shared handle, public handle and core; put it in
//      `worker.shared.scheduler.workers[index]`, `block(worker)` the old one and `makeRunnable` the new one;
//   4. `CONTEXT.scheduler = new CorelessThread(successor)` for the rest of the poll.
// A `CorelessThread` as the current scheduler means "a worker thread that already gave its core away".

/**
 * Given: the scheduler context of a thread whose core was handed off, for the rest of its poll (Tokio's worker
 * `Context` with `core: None`): not a `Worker`, so wakes go through the inject queue, and a deferred wake happens
 * at once (there is no defer queue to use), as Tokio's does.
 */
class CorelessThread implements SchedulerContext {
  constructor(readonly successor: Worker) {}

  get handle(): Handle {
    return this.successor.handle;
  }

  defer(waker: WakerRef): void {
    // Not really in the runtime any more: no defer queue to use (Tokio's `defer` with no core wakes at once).
    waker.wakeByRef();
  }

  incBudgetForcedYieldCount(): void {
    this.successor.incBudgetForcedYieldCount();
  }
}
