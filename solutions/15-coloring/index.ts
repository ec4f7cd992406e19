/**
 * Chapter 15: bridging function colors: leaving the runtime, `blockInPlace`, promises and futures, a blocking
 * facade on a worker thread, and async interfaces.
 */
export { BLOCKING_IN_RUNTIME_ERROR, EXIT_NOT_ENTERED_ERROR, PERMANENT_EXECUTOR_ERROR, enterBlockingRegion, exitRuntime } from "./context.ts";
export { BLOCK_IN_PLACE_CURRENT_THREAD_ERROR, blockInPlace } from "./block-in-place.ts";
export { PromiseFuture, fromPromise, toPromise } from "./promise.ts";
export {
  BlockingClient,
  CLOSED_ERROR,
  NO_ANSWER_ERROR,
  START_TIMEOUT_MS,
  type Answer,
  type Blocking,
  type BlockingClientOptions,
  type BlockingWorkerData,
} from "./blocking-client.ts";
export { CachedStore, MemoryStore, SlowStore, openStore, type KvStore } from "./kv.ts";
