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
    super(kind === "cancelled" ? `task ${id} was cancelled` : `task ${id} panicked: ${describe(panic)}`);
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
    if (this.kind !== "panic") throw new Error(`intoPanic on a JoinError that is not a panic (${this.message})`);
    return this.#panic;
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === "string" ? value : String(value);
}
