/**
 * `JoinError`: why a task produced no output (Tokio's `runtime/task/error.rs`).
 * `cancelled`: it was aborted, or its runtime shut down, before it completed.
 * `panic`: its future threw; the thrown value is kept and `intoPanic()` hands it back.
 */
export type JoinErrorKind = "cancelled" | "panic";

export class JoinError extends Error {
  override readonly name = "JoinError";
  readonly #panic: unknown;

  private constructor(
    readonly kind: JoinErrorKind,
    readonly id: number,
    panic: unknown,
  ) {
    super(kind === "cancelled" ? `task ${id} was cancelled` : panicMessage(id, panic));
    this.#panic = panic;
  }

  static cancelled(id: number): JoinError {
    return new JoinError("cancelled", id, undefined);
  }

  static panic(id: number, value: unknown): JoinError {
    return new JoinError("panic", id, value);
  }

  isCancelled(): boolean {
    return this.kind === "cancelled";
  }

  isPanic(): boolean {
    return this.kind === "panic";
  }

  /** The value the task threw; throws if this error is a cancellation. */
  intoPanic(): unknown {
    if (this.kind !== "panic") throw new Error("`JoinError` reason is not a panic.");
    return this.#panic;
  }
}

/** Tokio's wording: the message is quoted when the payload is a string (here also an `Error`'s message). */
function panicMessage(id: number, value: unknown): string {
  const text = value instanceof Error ? value.message : typeof value === "string" ? value : undefined;
  return text === undefined ? `task ${id} panicked` : `task ${id} panicked with message ${JSON.stringify(text)}`;
}
