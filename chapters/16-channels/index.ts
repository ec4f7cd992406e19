/**
 * Chapter 16: the batch semaphore and what is built on it: `Semaphore`, `Mutex`, `oneshot`, `mpsc`.
 */
export { Acquire, AcquireError, BatchSemaphore, MAX_PERMITS, TryAcquireError, type TryAcquireErrorKind } from "./batch-semaphore.ts";
export { Semaphore, SemaphorePermit } from "./semaphore.ts";
export { Mutex, MutexGuard, TryLockError } from "./mutex.ts";
export * as oneshot from "./oneshot.ts";
export * as mpsc from "./mpsc/index.ts";
