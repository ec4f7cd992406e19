/** `tokio::task`: spawning, yielding, blocking work, and sets of tasks. */
export { spawn } from "#kata/09-work-stealing";
export { AbortHandle, JoinError, JoinHandle } from "#kata/06-task";
export { consumeBudget, spawnBlocking, unconstrained, yieldNow } from "#kata/14-blocking";
export { JoinSet } from "#kata/17-broadcast-watch";
