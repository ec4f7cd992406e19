/**
 * Trace events: what a multi-thread runtime built with `Builder.traceSink(sink)` reports, one small plain object
 * per event, for tests that replay a seed and for the `kata trace` timeline (one lane per worker).
 *
 * Given code, not an exercise. Every event has `step` (the number of the interleaver's step that produced it; the
 * events of one step share it) and `worker` (the logical worker, or -1 for code outside the workers: a `blockOn`'s
 * future, a Node callback). Task numbers are task ids. When no sink is set the runtime builds no event at all.
 *
 * - `poll` / `poll-end`: a task poll starts (with where the task came from) and ends (`complete`: it finished);
 * - `wake`: a task was scheduled: onto this worker (`remote: false`, into the LIFO slot if `lifo`), or through the
 *   inject queue (`remote: true`);
 * - `steal`: the worker stole `count` tasks from worker `victim`;
 * - `overflow`: the worker's queue was full and moved `count` tasks to the inject queue;
 * - `park` / `unpark`: the worker blocks (holding the driver if `driver`), and runs again;
 * - `search`: the worker starts (`searching: true`) or stops looking for work to steal;
 * - `maintenance`: the worker's periodic maintenance (every `eventInterval` ticks);
 * - `block-on`: a `blockOn`'s future was polled (`complete`: it finished);
 * - `idle`: every worker is blocked; the runtime waits for the driver.
 */
export type PollSource = "lifo" | "local" | "inject" | "steal";

export type TraceEvent =
  | { step: number; worker: number; kind: "poll"; task: number; source: PollSource }
  | { step: number; worker: number; kind: "poll-end"; task: number; complete: boolean }
  | { step: number; worker: number; kind: "wake"; task: number; remote: boolean; lifo: boolean }
  | { step: number; worker: number; kind: "steal"; victim: number; count: number }
  | { step: number; worker: number; kind: "overflow"; count: number }
  | { step: number; worker: number; kind: "park"; driver: boolean }
  | { step: number; worker: number; kind: "unpark" }
  | { step: number; worker: number; kind: "search"; searching: boolean }
  | { step: number; worker: number; kind: "maintenance" }
  | { step: number; worker: number; kind: "block-on"; complete: boolean }
  | { step: number; worker: number; kind: "idle" };

export type TraceKind = TraceEvent["kind"];

/** Receives every event, in order. */
export type TraceSink = (event: TraceEvent) => void;
