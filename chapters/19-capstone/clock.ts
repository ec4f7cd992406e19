/**
 * The instant source of the chapter's instruments (given code).
 *
 * tokio-metrics and tokio-console read `tokio::time::Instant::now()`, which follows the runtime's clock: paused in
 * tests, real otherwise. An instrument here takes a `Now` (milliseconds as a fractional number) and, by default,
 * binds the clock of the runtime that is current when the instrument is created; outside any runtime it falls back
 * to `performance.now()`. Bind once, read many: every timestamp of one instrument comes from the same clock.
 */
import { CONTEXT } from "#kit/context";

/** A clock: milliseconds, monotonic. */
export type Now = () => number;

/** The current runtime's clock (`tokio::time::Instant::now`), or `performance.now()` outside a runtime. */
export function runtimeNow(): Now {
  const handle = CONTEXT.handle;
  if (handle === null) return () => performance.now();
  const clock = handle.driver.clock;
  return () => clock.now();
}
