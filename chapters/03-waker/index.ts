/**
 * Chapter 03: `RawWaker`, `Waker`, `Context`, `AtomicWaker`.
 */
export { RawWaker, type RawWakerVTable } from "./raw-waker.ts";
export { Waker, type WakerRef } from "./waker.ts";
export { Context } from "./context.ts";
export { wakerFn, type WakerStats } from "./waker-fn.ts";
export { AtomicWaker } from "./atomic-waker.ts";
