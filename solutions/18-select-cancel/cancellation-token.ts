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
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { Notified } from "#kata/17-broadcast-watch";
import { TreeNode, cancel, childNode, decreaseHandleRefcount, increaseHandleRefcount, isCancelled } from "./tree-node.ts";

export class CancellationToken implements Disposable {
  #node: TreeNode | null;

  constructor(node: TreeNode = new TreeNode()) {
    this.#node = node;
  }

  /** A token under this one: cancelled when this one is (or on its own), never the other way round. */
  childToken(): CancellationToken {
    return new CancellationToken(childNode(this.#live()));
  }

  /** Cancels this token and every token below it, and wakes whoever waits on them. */
  cancel(): void {
    cancel(this.#live());
  }

  isCancelled(): boolean {
    return isCancelled(this.#live());
  }

  /** Completes once the token is cancelled. */
  cancelled(): WaitForCancellation {
    return new WaitForCancellation(this.#live());
  }

  /** Runs `future` until it completes (its output) or the token is cancelled (`undefined`; `future` is disposed). */
  runUntilCancelled<T>(future: Future<T>): Future<T | undefined> {
    return new RunUntilCancelled(this.#live(), future);
  }

  /** Another handle on the same token. */
  clone(): CancellationToken {
    const node = this.#live();
    increaseHandleRefcount(node);
    return new CancellationToken(node);
  }

  /** True if both are handles on the same token. */
  equals(other: CancellationToken): boolean {
    return this.#live() === other.#live();
  }

  /** A guard that cancels this token when it is disposed; the guard takes this handle over. */
  dropGuard(): DropGuard {
    this.#live();
    return new DropGuard(this);
  }

  /** Drops this handle (never cancels). */
  [Symbol.dispose](): void {
    const node = this.#node;
    if (node === null) return;
    this.#node = null;
    decreaseHandleRefcount(node);
  }

  #live(): TreeNode {
    if (this.#node === null) throw new Error("CancellationToken used after it was dropped");
    return this.#node;
  }
}

/** The future of `cancelled()` (tokio-util's `WaitForCancellationFuture`). */
export class WaitForCancellation extends FutureBase<void> {
  readonly #node: TreeNode;
  #notified: Notified | null;

  constructor(node: TreeNode) {
    super();
    this.#node = node;
    // Created now, not at the first poll: a cancel in between is not missed (Notified snapshots notifyWaiters).
    this.#notified = node.waker.notified();
  }

  poll(cx: Context): Poll<void> {
    for (;;) {
      if (isCancelled(this.#node)) {
        this[Symbol.dispose]();
        return undefined;
      }
      const notified = this.#notified ?? (this.#notified = this.#node.waker.notified());
      if (notified.poll(cx) === Pending) return Pending;
      this.#notified = null;
    }
  }

  [Symbol.dispose](): void {
    const notified = this.#notified;
    this.#notified = null;
    notified?.[Symbol.dispose]();
  }
}

class RunUntilCancelled<T> extends FutureBase<T | undefined> {
  readonly #node: TreeNode;
  #future: Future<T> | null;
  /** Created at the first poll, which first checks for a cancellation (Rust's `async fn` body). */
  #cancelled: WaitForCancellation | null = null;

  constructor(node: TreeNode, future: Future<T>) {
    super();
    this.#node = node;
    this.#future = future;
  }

  poll(cx: Context): Poll<T | undefined> {
    const future = this.#future;
    if (future === null) throw new Error("`runUntilCancelled` polled after completion");
    if (this.#cancelled === null) {
      if (isCancelled(this.#node)) return this.#stop();
      this.#cancelled = new WaitForCancellation(this.#node);
    }
    let out: Poll<T>;
    try {
      out = future.poll(cx);
    } catch (e) {
      this.#future = null;
      this.#cancelled[Symbol.dispose]();
      throw e;
    }
    if (out !== Pending) {
      this.#future = null;
      this.#cancelled[Symbol.dispose]();
      return out;
    }
    return this.#cancelled.poll(cx) === Pending ? Pending : this.#stop();
  }

  /** Cancelled: drop the future, complete with `undefined`. */
  #stop(): undefined {
    const future = this.#future;
    this.#future = null;
    future?.[Symbol.dispose]?.();
    return undefined;
  }

  [Symbol.dispose](): void {
    this.#cancelled?.[Symbol.dispose]();
    this.#stop();
  }
}

/** Cancels its token when disposed, unless disarmed (tokio-util's `DropGuard`). */
export class DropGuard implements Disposable {
  #token: CancellationToken | null;

  constructor(token: CancellationToken) {
    this.#token = token;
  }

  /** The token this guard will cancel. */
  token(): CancellationToken {
    if (this.#token === null) throw new Error("DropGuard used after it was disarmed or dropped");
    return this.#token;
  }

  /** Gives the token back without cancelling it. */
  disarm(): CancellationToken {
    const token = this.token();
    this.#token = null;
    return token;
  }

  /** Cancels the token (unless disarmed) and drops the handle the guard held. */
  [Symbol.dispose](): void {
    const token = this.#token;
    if (token === null) return;
    this.#token = null;
    token.cancel();
    token[Symbol.dispose]();
  }
}
