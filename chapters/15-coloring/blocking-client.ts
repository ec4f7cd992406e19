/**
 * `BlockingClient`: a synchronous face over an async service, the way `reqwest::blocking` wraps the async client
 * (seed 10.4): the async code runs on a runtime of its own, on a background thread, and each call blocks the caller
 * until the answer is there.
 *
 *     using kv = BlockingClient.start<KvStore>("#kata/15-coloring", "openStore");
 *     kv.api.set("a", "1");                 // plain synchronous calls: no yield*, no await
 *     kv.api.get("a");                      // "1"
 *
 *   caller thread                                       worker thread (blocking-worker.ts)
 *   ─────────────                                       ─────────────────────────────────
 *   start: new Worker(module, export, args) ──────────► a current-thread runtime; blockOn(main):
 *          Atomics.wait(state) ◄──────── notify ─────────   service = module[export](...args); answer "ready"
 *   call:  state = 0; port.postMessage({method, args}) ─► on message: spawn a task:
 *          Atomics.wait(state, 0)        (blocked)          try { value = yield* service[method](...args) }
 *          receiveMessageOnPort(port) ◄── postMessage ───   answer {ok, value | error}: post, state = 1, notify
 *   close: worker.terminate()
 *
 * The caller sleeps in `Atomics.wait` on a SharedArrayBuffer, a real blocking wait; the answer travels as a message
 * on a `MessagePort`, read synchronously with `receiveMessageOnPort` once the worker has set the state and notified.
 * Blocking the thread that drives a runtime would stall it, so `start` and every call first check
 * `enterBlockingRegion()` (Tokio's "Cannot block the current thread from within a runtime"): inside a task, wrap the
 * call in `blockInPlace` (multi-thread runtime), or better, use the async API.
 *
 * Invariants: one call at a time (the caller is blocked during it); a call that gets no answer within `timeoutMs`
 * (a start, within `START_TIMEOUT_MS`) throws `NO_ANSWER_ERROR` and closes the client (an answer arriving later
 * must not be taken for the next call's); arguments and results cross threads by structured clone.
 *
 * Task 4 of the lesson (the types, the constants, the bootstrap and the constructor are given; the worker side is
 * given in blocking-worker.ts).
 */
import type { Future } from "#kata/01-poll";
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from "node:worker_threads";
import { startTsWorker } from "#kit/ts-worker";
import { todo } from "#kit/todo";

/** The synchronous face of an async interface: a method returning `Future<R>` returns `R`. */
export type Blocking<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Future<infer R> ? (...args: A) => R : never;
};

export interface BlockingClientOptions {
  /** How long a call may block before it fails, in real ms. Default 10 s. (Starting may take up to `START_TIMEOUT_MS`.) */
  timeoutMs?: number;
}

/** How long `start` waits for the worker to be ready (booting a thread and loading its modules takes about 0.15 s). */
export const START_TIMEOUT_MS = 30_000;

/** What the worker answers: the start ("ready") and each call. */
export type Answer = { ok: true; value?: unknown } | { ok: false; error: unknown };

/** What the worker is started with (`workerData`). */
export interface BlockingWorkerData {
  module: string;
  exportName: string;
  args: unknown[];
  port: MessagePort;
  state: SharedArrayBuffer;
}

/** Given: the worker's module, started on a thread of its own by `#kit/ts-worker` (as chapter 14's blocking threads). */
const WORKER_ENTRY = new URL("./blocking-worker.ts", import.meta.url);

export const NO_ANSWER_ERROR = "the blocking client's runtime gave no answer in time";
export const CLOSED_ERROR = "the blocking client is closed";

export class BlockingClient<T extends object> implements Disposable {
  readonly api: Blocking<T>;
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #state: Int32Array;
  readonly #timeoutMs: number;
  #closed = false;

  /** Given: the port, the shared state word, the worker (started from the bootstrap) and the proxy behind `api`. */
  private constructor(module: string, exportName: string, args: unknown[], options: BlockingClientOptions) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    const state = new SharedArrayBuffer(4);
    this.#state = new Int32Array(state);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    const workerData: BlockingWorkerData = { module, exportName, args, port: port2, state };
    this.#worker = startTsWorker(WORKER_ENTRY, workerData, { transferList: [port2] });
    this.#worker.unref();
    this.api = new Proxy({} as Blocking<T>, {
      get: (_, method) => (typeof method === "string" ? (...a: unknown[]) => this.call(method, a) : undefined),
    });
  }

  /**
   * Starts a worker whose runtime serves `module[exportName](...args)` (called inside that runtime), and waits until
   * it is ready. `module` is a URL or a specifier the worker can import. Checks `enterBlockingRegion()` first; waits
   * for the start's answer at most `START_TIMEOUT_MS`; if that fails, closes the client and throws.
   */
  static start<T extends object>(
    module: string | URL,
    exportName: string,
    args: unknown[] = [],
    options: BlockingClientOptions = {},
  ): BlockingClient<T> {
    return todo("15-coloring", "BlockingClient.start");
  }

  /**
   * Calls `method` of the service with `args` and blocks until it answers: its value, or its error thrown.
   * `enterBlockingRegion()`; closed: `Error(CLOSED_ERROR)`; state 0; post `{ method, args }`; then wait: `Atomics.wait`
   * on the state while it is 0, at most `timeoutMs`; take the answer with `receiveMessageOnPort`. No answer (timed
   * out, or nothing on the port): close the client and throw `Error(NO_ANSWER_ERROR)`.
   */
  call(method: string, args: unknown[]): unknown {
    return todo("15-coloring", "BlockingClient.call");
  }

  /** Stops the worker (`terminate`) and closes the port; later calls throw; a second close does nothing. */
  close(): void {
    todo("15-coloring", "BlockingClient.close");
  }

  [Symbol.dispose](): void {
    todo("15-coloring", "BlockingClient[Symbol.dispose]");
  }
}
