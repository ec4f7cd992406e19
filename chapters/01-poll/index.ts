/**
 * Chapter 01: `Poll` and `Future`. The public face of the chapter: other chapters and the tests import only this.
 */
export { Pending, isPending, isReady, type Poll } from "./poll.ts";
export { FutureBase, type Future, type Output } from "./future.ts";
export { Ready, ready } from "./ready.ts";
export { PendingFuture, pending } from "./pending.ts";
export { PollFn, pollFn } from "./poll-fn.ts";
export { Lazy, lazy } from "./lazy.ts";
export { Countdown, countdown } from "./countdown.ts";
export { SpinLimitError, spin, type SpinReport } from "./spin.ts";
