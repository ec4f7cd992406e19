/**
 * `CancellationToken` (tokio-util's `sync/cancellation_token.rs` and `guard.rs`): a signal to stop, in a tree.
 *
 *     const shutdown = new CancellationToken();
 *     const conn = shutdown.childToken();            // cancelled with `shutdown`, or on its own
 *     ...
 *     yield* select([branch(conn.cancelled(), () => "stop"), branch(work(), (v) => v)]);
 *     ...
 *     shutdown.cancel();                             // every child, grandchild, ... hears it
 *
 * - `cancel()` cancels this token and every token below it (`tree-node.ts`); never its parent. Idempotent.
 * - `childToken()`: a new token under this one; if this one is cancelled already, the child starts cancelled.
 * - `cancelled()`: a future that completes once the token is cancelled (at once if it is). It waits on the node's
 *   `Notify` (chapter 17): it loops "cancelled? ready : poll the `Notified`, and if that fired without a
 *   cancellation, take a new one". It spends no budget. It borrows the token: keep the token alive meanwhile.
 * - `runUntilCancelled(f)`: `f`'s output, or `undefined` if the token is cancelled first (then `f` is disposed).
 * - A token is a *handle* on its node. `clone()` makes another handle on the same node (`equals` is true);
 *   disposing a handle never cancels. When the last handle of a node is disposed, the node leaves the tree: its
 *   children move up to its parent. A disposed handle throws if used.
 * - `dropGuard()`: a `DropGuard` that takes this handle over (Rust moves the token into it); disposing the guard
 *   cancels the token, unless `disarm()` took the token back first. `using guard = token.clone().dropGuard();`
 *
 * Task 5 of the lesson.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import { TreeNode } from "./tree-node.ts";

export class CancellationToken implements Disposable {
  // Sketch: the node (null once this handle was disposed: then every method throws
  // `Error("CancellationToken used after it was dropped")`).

  /** A new root token, or a handle on `node` (which counts this handle already). */
  constructor(node: TreeNode = new TreeNode()) {
    todo("18-select-cancel", "CancellationToken.constructor");
  }

  /** A token under this one: cancelled when this one is (or on its own), never the other way round. */
  childToken(): CancellationToken {
    return todo("18-select-cancel", "CancellationToken.childToken");
  }

  /** Cancels this token and every token below it, and wakes whoever waits on them. */
  cancel(): void {
    todo("18-select-cancel", "CancellationToken.cancel");
  }

  isCancelled(): boolean {
    return todo("18-select-cancel", "CancellationToken.isCancelled");
  }

  /** Completes once the token is cancelled. */
  cancelled(): WaitForCancellation {
    return todo("18-select-cancel", "CancellationToken.cancelled");
  }

  /** Runs `future` until it completes (its output) or the token is cancelled (`undefined`; `future` is disposed). */
  runUntilCancelled<T>(future: Future<T>): Future<T | undefined> {
    return todo("18-select-cancel", "CancellationToken.runUntilCancelled");
  }

  /** Another handle on the same token. */
  clone(): CancellationToken {
    return todo("18-select-cancel", "CancellationToken.clone");
  }

  /** True if both are handles on the same token. */
  equals(other: CancellationToken): boolean {
    return todo("18-select-cancel", "CancellationToken.equals");
  }

  /** A guard that cancels this token when it is disposed; the guard takes this handle over. */
  dropGuard(): DropGuard {
    return todo("18-select-cancel", "CancellationToken.dropGuard");
  }

  /** Drops this handle (never cancels); a second dispose does nothing. */
  [Symbol.dispose](): void {
    todo("18-select-cancel", "CancellationToken[Symbol.dispose]");
  }
}

/**
 * The future of `cancelled()` (tokio-util's `WaitForCancellationFuture`). Take the node's `Notified` in the
 * constructor, not at the first poll, so a cancel in between is not missed. Poll: loop { cancelled? dispose the
 * `Notified` and return; poll the `Notified` (a new one if the last fired): Pending -> Pending }.
 */
export class WaitForCancellation extends FutureBase<void> {
  constructor(node: TreeNode) {
    super();
    todo("18-select-cancel", "WaitForCancellation.constructor");
  }

  poll(cx: Context): Poll<void> {
    return todo("18-select-cancel", "WaitForCancellation.poll");
  }

  /** Disposes the `Notified` it waits on (it leaves the notify's list and drops its waker). */
  [Symbol.dispose](): void {
    todo("18-select-cancel", "WaitForCancellation[Symbol.dispose]");
  }
}

// `runUntilCancelled` returns a future of a class of your own. Its first poll checks for a cancellation (then it
// completes with `undefined` and disposes the future, never polled) and creates its `WaitForCancellation`; each
// poll polls the future first, then the cancellation.

/** Cancels its token when disposed, unless disarmed (tokio-util's `DropGuard`). */
export class DropGuard implements Disposable {
  constructor(token: CancellationToken) {
    todo("18-select-cancel", "DropGuard.constructor");
  }

  /** The token this guard will cancel; an `Error` once disarmed or dropped. */
  token(): CancellationToken {
    return todo("18-select-cancel", "DropGuard.token");
  }

  /** Gives the token back without cancelling it. */
  disarm(): CancellationToken {
    return todo("18-select-cancel", "DropGuard.disarm");
  }

  /** Cancels the token (unless disarmed) and drops the handle the guard held. */
  [Symbol.dispose](): void {
    todo("18-select-cancel", "DropGuard[Symbol.dispose]");
  }
}
