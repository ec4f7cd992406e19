/**
 * The tree behind `CancellationToken` (tokio-util's `sync/cancellation_token/tree_node.rs`).
 *
 *            root            cancel(root): every node below is cancelled, and the tree is taken apart
 *           /    \           cancel(a):    a and its subtree; root is untouched
 *          a      b          childNode(x): a new leaf under x, or a lone cancelled node if x is cancelled
 *         / \                the last handle of a node dropped: the node leaves the tree, its children
 *        c   d                             move up to its parent (so they still hear a cancel from above)
 *
 * Each node has a parent (or none), children, an `isCancelled` flag, a count of the token handles pointing at it,
 * and a `Notify` that wakes the `cancelled()` futures waiting on it. A child keeps its index in its parent's
 * `children` (`parentIdx`), so leaving is a swap-remove.
 *
 * Invariants (tokio-util's):
 * 1. a node with neither a parent nor handles can no longer be cancelled, so it need not keep its children;
 * 2. a parent was created before its children (Tokio locks parent before child, in creation order; one JavaScript
 *    thread needs no locks, but the order of operations is the same);
 * 3. a parent and a child agree: when neither is being changed, B is among A's children exactly when A is B's parent.
 * And, from the module's opening notes: a cancelled node is detached (no parent, no children), and cancellation
 * never flows upwards.
 *
 * Task 5 of the lesson (`TreeNode` is given).
 */
import { Notify } from "#kata/17-broadcast-watch";
import { todo } from "#kit/todo";

/** Given. */
export class TreeNode {
  parent: TreeNode | null = null;
  /** This node's index in `parent.children`. */
  parentIdx = 0;
  children: TreeNode[] = [];
  isCancelled = false;
  /** Token handles (the token and its clones) pointing at this node. */
  numHandles = 1;
  /** Woken (`notifyWaiters`) when the node is cancelled. */
  readonly waker = new Notify();
}

export function isCancelled(node: TreeNode): boolean {
  return todo("18-select-cancel", "treeNode.isCancelled");
}

/** A new node under `parent` (appended to its children); a lone, already cancelled node if `parent` is cancelled. */
export function childNode(parent: TreeNode): TreeNode {
  return todo("18-select-cancel", "treeNode.childNode");
}

/** Throws an `Error` if the node has no handle left (nothing may revive it). */
export function increaseHandleRefcount(node: TreeNode): void {
  todo("18-select-cancel", "treeNode.increaseHandleRefcount");
}

/**
 * Drops a handle (an `Error` if none is left). The last one takes the node out of the tree: with a parent, its
 * children move to the end of the parent's children, then the node is swap-removed from them (the last child takes
 * its index); without one, its children are let go (parent null, index 0).
 */
export function decreaseHandleRefcount(node: TreeNode): void {
  todo("18-select-cancel", "treeNode.decreaseHandleRefcount");
}

/**
 * Cancels `node` and everything below it, waking their waiters (`waker.notifyWaiters()`); a cancelled node has no
 * parent and no children. Tokio's order: pop each child; detach it; skip it if cancelled already; pop each of its
 * children (detach; skip if cancelled; cancel it at once if it has no children, else adopt it as a child of `node`);
 * then cancel the child. When `node` has no children left, cancel `node`.
 */
export function cancel(node: TreeNode): void {
  todo("18-select-cancel", "treeNode.cancel");
}
