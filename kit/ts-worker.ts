/**
 * A worker thread that runs a TypeScript module (given code, used by chapters 14 and 15 and by chapter 08's tests).
 *
 * Node 20 does not apply the loaders tsx registers to worker threads, so the worker starts from a few lines of
 * plain JavaScript (`eval: true`) that register the TypeScript hooks (`ts-register.mjs`) and then import the entry
 * module; an error there is rethrown in the worker, where the Worker's `error` event reports it. Stack traces point
 * into the `.ts` sources. The worker inherits this process's `execArgv`, hence its `--conditions`, so `#kata/...`
 * resolves in it exactly as it does here.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

const REGISTER = import.meta.resolve("./ts-register.mjs");
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
import(${JSON.stringify(REGISTER)})
  .then(() => import(workerData.__entry))
  .catch((e) => { setImmediate(() => { throw e; }); });`;

/**
 * Starts the module at `entry` in a new worker thread. `workerData` (an object) reaches it as usual, with one more
 * field, `__entry`, that the bootstrap reads.
 */
export function startTsWorker(entry: URL, workerData: object = {}, options: Omit<WorkerOptions, "eval" | "workerData"> = {}): Worker {
  return new Worker(BOOTSTRAP, { ...options, eval: true, workerData: { ...workerData, __entry: entry.href } });
}
