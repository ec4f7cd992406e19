/**
 * The errors of `mpsc` (Tokio's `sync/mpsc/error.rs`). Given code: the names, kinds and messages are part of the
 * contract. Each carries the message it could not deliver, so nothing is lost by failing: `error.value` (or
 * `intoInner()`) gives it back.
 */

/** The receiver is gone or closed: the value was not sent. */
export class SendError<T> extends Error {
  override readonly name = "SendError";
  readonly kind = "closed" as const;

  constructor(readonly value: T) {
    super("channel closed");
  }
}

export type TrySendErrorKind = "full" | "closed";

/** `trySend`/`tryReserve` could not send now: no capacity (`full`) or no receiver (`closed`). */
export class TrySendError<T> extends Error {
  override readonly name = "TrySendError";

  private constructor(
    readonly kind: TrySendErrorKind,
    readonly value: T,
  ) {
    super(kind === "full" ? "no available capacity" : "channel closed");
  }

  static full<T>(value: T): TrySendError<T> {
    return new TrySendError("full", value);
  }

  static closed<T>(value: T): TrySendError<T> {
    return new TrySendError("closed", value);
  }

  isFull(): boolean {
    return this.kind === "full";
  }

  isClosed(): boolean {
    return this.kind === "closed";
  }

  intoInner(): T {
    return this.value;
  }
}

export type TryRecvErrorKind = "empty" | "disconnected";

/** `tryRecv` found nothing: `empty` (senders may still send) or `disconnected` (nothing more will ever come). */
export class TryRecvError extends Error {
  override readonly name = "TryRecvError";

  private constructor(readonly kind: TryRecvErrorKind) {
    super(kind === "empty" ? "receiving on an empty channel" : "receiving on a closed channel");
  }

  static empty(): TryRecvError {
    return new TryRecvError("empty");
  }

  static disconnected(): TryRecvError {
    return new TryRecvError("disconnected");
  }
}
