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
 */
import { Notify } from "#kata/17-broadcast-watch";

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
  return node.isCancelled;
}

/** A new node under `parent`; a lone, already cancelled node if `parent` is cancelled. */
export function childNode(parent: TreeNode): TreeNode {
  const child = new TreeNode();
  if (parent.isCancelled) {
    child.isCancelled = true;
    return child;
  }
  child.parent = parent;
  child.parentIdx = parent.children.length;
  parent.children.push(child);
  return child;
}

export function increaseHandleRefcount(node: TreeNode): void {
  if (node.numHandles === 0) throw new Error("a CancellationToken was cloned after its last handle was dropped");
  node.numHandles++;
}

/** Drops a handle; the last one takes the node out of the tree (its children move up to its parent). */
export function decreaseHandleRefcount(node: TreeNode): void {
  if (node.numHandles === 0) throw new Error("a CancellationToken handle was dropped twice");
  node.numHandles--;
  if (node.numHandles > 0) return;
  const parent = node.parent;
  if (parent !== null) {
    moveChildrenToParent(node, parent);
    removeChild(parent, node);
  } else {
    // No parent and no handles: nothing can cancel this node any more (invariant 1), nor its children through it.
    disconnectChildren(node);
  }
}

/** Cancels `node` and everything below it, waking their waiters; the subtree is taken apart as it goes. */
export function cancel(node: TreeNode): void {
  if (node.isCancelled) return;
  // One child at a time: adopt its grandchildren that have children of their own, cancel the others at once.
  for (let child = node.children.pop(); child !== undefined; child = node.children.pop()) {
    child.parent = null;
    child.parentIdx = 0;
    if (child.isCancelled) continue;
    for (let grandchild = child.children.pop(); grandchild !== undefined; grandchild = child.children.pop()) {
      grandchild.parent = null;
      grandchild.parentIdx = 0;
      if (grandchild.isCancelled) continue;
      if (grandchild.children.length === 0) {
        setCancelled(grandchild);
      } else {
        grandchild.parent = node;
        grandchild.parentIdx = node.children.length;
        node.children.push(grandchild);
      }
    }
    setCancelled(child);
  }
  setCancelled(node);
}

function setCancelled(node: TreeNode): void {
  node.isCancelled = true;
  node.children = [];
  node.waker.notifyWaiters();
}

function disconnectChildren(node: TreeNode): void {
  for (const child of node.children) {
    child.parent = null;
    child.parentIdx = 0;
  }
  node.children = [];
}

function moveChildrenToParent(node: TreeNode, parent: TreeNode): void {
  for (const child of node.children) {
    child.parent = parent;
    child.parentIdx = parent.children.length;
    parent.children.push(child);
  }
  node.children = [];
}

/** Swap-removes `node` from `parent.children`. */
function removeChild(parent: TreeNode, node: TreeNode): void {
  const pos = node.parentIdx;
  node.parent = null;
  node.parentIdx = 0;
  const last = parent.children.pop()!;
  if (last !== node) {
    last.parentIdx = pos;
    parent.children[pos] = last;
  }
}
