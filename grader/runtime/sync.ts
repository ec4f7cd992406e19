/** `tokio::sync` and `tokio_util::sync`: what tasks use to wait for each other. */
export { AcquireError, Mutex, MutexGuard, Semaphore, SemaphorePermit, mpsc, oneshot } from "#kata/16-channels";
export { JoinSet, Notified, Notify, broadcast, watch } from "#kata/17-broadcast-watch";
export { CancellationToken, DropGuard } from "#kata/18-select-cancel";
