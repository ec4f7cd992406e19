/**
 * Errors of the time chapter (Tokio's `time/error.rs` and `util/error.rs`).
 *
 * `Elapsed` is what `timeout` throws when its deadline passes first (Rust's `Err(Elapsed)`; see CONTRIBUTING's
 * Result convention). The messages are Tokio's panic messages, quoted so that a learner can search for them.
 */

/** Thrown by `timeout` when the deadline passed before the inner future completed. */
export class Elapsed extends Error {
  override readonly name = "Elapsed";
  readonly kind = "elapsed";

  constructor() {
    super("deadline has elapsed");
  }
}

/** No runtime is current (the same words as chapter 07's `NO_RUNTIME`, which this chapter cannot import). */
export const CONTEXT_MISSING_ERROR =
  "there is no reactor running, must be called from the context of a Tokio 1.x runtime";
/** The current runtime was built without `enableTime()`. */
export const TIMERS_DISABLED_ERROR =
  "A Tokio 1.x context was found, but timers are disabled. Call `enable_time` on the runtime builder to enable timers.";
/** A timer was used after its runtime's time driver shut down. */
export const RUNTIME_SHUTTING_DOWN_ERROR = "A Tokio 1.x context was found, but it is being shutdown.";
