/**
 * The messages Tokio panics or fails with (`tokio/src/util/error.rs`, `runtime/driver.rs`), and how a resource
 * finds the current runtime's I/O driver: `CONTEXT.handle?.driver.io` (never by importing chapter 07, which
 * imports this chapter).
 */
import { CONTEXT } from "#kit/context";
import { IoError } from "#kata/10-mio";
import type { IoHandle } from "./driver.ts";

export const CONTEXT_MISSING_ERROR =
  "there is no reactor running, must be called from the context of a Tokio 1.x runtime";
export const IO_DISABLED_ERROR =
  "A Tokio 1.x context was found, but IO is disabled. Call `enable_io` on the runtime builder to enable IO.";
export const RUNTIME_SHUTTING_DOWN_ERROR = "A Tokio 1.x context was found, but it is being shutdown.";

/** The I/O handle of the current runtime; throws Tokio's messages outside a runtime or with I/O disabled. */
export function currentIoHandle(): IoHandle {
  const handle = CONTEXT.handle;
  if (handle === null) throw new Error(CONTEXT_MISSING_ERROR);
  const io = handle.driver.io;
  if (io === null) throw new Error(IO_DISABLED_ERROR);
  return io;
}

/** The error a resource reports once its driver has shut down (an `io::Error` of kind `Other`). */
export function gone(): IoError {
  return new IoError("Other", RUNTIME_SHUTTING_DOWN_ERROR);
}
