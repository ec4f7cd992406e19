/**
 * The unbounded channel (Tokio's `sync/mpsc/unbounded.rs`): `send` never waits.
 *
 *     const [tx, rx] = mpsc.unboundedChannel<number>();
 *     tx.send(1);                              // synchronous; throws SendError (with the value) once rx is gone
 *
 * Its "semaphore" only counts the messages in the queue, and a closed flag (Tokio packs them as
 * `count << 1 | closed` in one atomic word). A send fails once the receiver is closed; the receiver ends (reads
 * `undefined`) when it is closed and the count is 0, or when every sender is gone and the queue is drained.
 * Nothing limits the queue: a producer faster than its consumer grows it without bound. That is the price.
 *
 * Given: `unboundedChannel()`.
 */
import { Chan, Rx, Tx, type ChanSemaphore } from "./chan.ts";
import { todo } from "#kit/todo";

export class UnboundedSemaphore implements ChanSemaphore {
  // Sketch: the count of queued messages and a closed flag.

  /** Counts one more queued message; false if closed. */
  tryAddMessage(): boolean {
    return todo("16-channels", "mpsc.UnboundedSemaphore.tryAddMessage");
  }

  isIdle(): boolean {
    return todo("16-channels", "mpsc.UnboundedSemaphore.isIdle");
  }

  addPermit(): void {
    todo("16-channels", "mpsc.UnboundedSemaphore.addPermit");
  }

  close(): void {
    todo("16-channels", "mpsc.UnboundedSemaphore.close");
  }

  isClosed(): boolean {
    return todo("16-channels", "mpsc.UnboundedSemaphore.isClosed");
  }
}

type UnboundedChan<T> = Chan<T, UnboundedSemaphore>;

export function unboundedChannel<T>(): [UnboundedSender<T>, UnboundedReceiver<T>] {
  const chan: UnboundedChan<T> = new Chan(new UnboundedSemaphore());
  return [new UnboundedSender(chan), new UnboundedReceiver(chan)];
}

export class UnboundedSender<T> extends Tx<T, UnboundedSemaphore> {
  /** Queues `value` now; throws `SendError` (with the value) if the receiver is gone or closed. */
  send(value: T): void {
    todo("16-channels", "mpsc.UnboundedSender.send");
  }

  clone(): UnboundedSender<T> {
    return todo("16-channels", "mpsc.UnboundedSender.clone");
  }
}

export class UnboundedReceiver<T> extends Rx<T, UnboundedSemaphore> {}
