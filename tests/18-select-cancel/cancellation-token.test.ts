/**
 * Hidden suite of chapter 18, task 5: `CancellationToken` and its tree: cancel flows down, never up; children of a
 * cancelled token; `cancelled()` as a future; handles, clones and pruning; drop guards; `runUntilCancelled`.
 */
import { describe, expect, it } from "vitest";
import { Pending, pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { budget } from "#kata/14-blocking";
import { now, sleep } from "#kata/13-time";
import { CancellationToken, treeNode } from "#kata/18-select-cancel";
import { Scripted, Throwing } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { paused } from "../_support/13-time.ts";
import { Gate } from "../_support/18-select-cancel.ts";

/** A token on a node the test can inspect. */
function rooted(): { token: CancellationToken; node: treeNode.TreeNode } {
  const node = new treeNode.TreeNode();
  return { token: new CancellationToken(node), node };
}

describe("Task 5: CancellationToken", () => {
  it("cancel() cancels the token and everything below it, never its parent or siblings", () => {
    const root = new CancellationToken();
    const a = root.childToken();
    const b = root.childToken();
    const a1 = a.childToken();
    const a11 = a1.childToken();
    a.cancel();
    expect([root, a, b, a1, a11].map((t) => t.isCancelled())).toEqual([false, true, false, true, true]);
    a.cancel();
    root.cancel();
    expect([root, a, b, a1, a11].map((t) => t.isCancelled())).toEqual([true, true, true, true, true]);
  });

  it("a child of a cancelled token starts cancelled and is not linked into the tree", () => {
    const { token, node } = rooted();
    token.cancel();
    const child = token.childToken();
    expect(child.isCancelled(), "child.isCancelled()").toBe(true);
    expect(node.children.length, "a cancelled node keeps no children").toBe(0);
    const grandchild = child.childToken();
    expect(grandchild.isCancelled(), "grandchild.isCancelled()").toBe(true);
  });

  it("the tree links children to parents by index, and cancel takes the whole subtree apart", () => {
    const { token, node } = rooted();
    const kids = [token.childToken(), token.childToken(), token.childToken()];
    expect(node.children.map((c) => c.parentIdx)).toEqual([0, 1, 2]);
    expect(node.children.every((c) => c.parent === node)).toBe(true);
    // Grandchildren with and without children of their own: cancel adopts the first kind and cancels the second.
    const g0 = kids[0]!.childToken();
    const g0x = g0.childToken();
    kids[0]!.childToken();
    token.cancel();
    expect(node.children.length, "node.children.length").toBe(0);
    expect([...kids, g0, g0x].every((t) => t.isCancelled())).toBe(true);
    expect(node.isCancelled, "node.isCancelled").toBe(true);
    expect(kids.map((k) => k.isCancelled())).toEqual([true, true, true]);
  });

  it("cancelled() completes when the token or an ancestor is cancelled, waking every waiter", async () => {
    const out = await paused(function* () {
      const root = new CancellationToken();
      const log: string[] = [];
      const tokens = [root, root.childToken(), root.childToken().childToken()];
      tokens.forEach((t, i) =>
        spawn(
          asyncBlock(function* () {
            yield* t.cancelled();
            log.push(`${i} at ${now()}`);
          }),
        ),
      );
      yield* sleep(10);
      tokens[1]!.cancel();
      yield* sleep(10);
      root.cancel();
      yield* sleep(1);
      return log;
    });
    expect(out, "cancel wakes the subtree below a node before the node itself").toEqual(["1 at 10", "2 at 20", "0 at 20"]);
  });

  it("cancelled() on a cancelled token is ready at once, and a cancel between its creation and first poll counts", () => {
    const token = new CancellationToken();
    const early = token.cancelled();
    const p = probe();
    token.cancel();
    expect(p.poll(early)).toBeUndefined();
    expect(p.poll(token.cancelled())).toBeUndefined();
    const child = token.childToken();
    expect(p.poll(child.cancelled())).toBeUndefined();
  });

  it("cancelled() spends no budget, and a pending one releases its waker when disposed", () => {
    const token = new CancellationToken();
    const p = probe();
    const f = token.cancelled();
    expect(p.poll(f), "p.poll(f)").toBe(Pending);
    expect(p.stats.refs, "the waiting future holds a clone of the waker").toBe(2);
    f[Symbol.dispose]();
    expect(p.stats.refs, "disposed: its waker is dropped").toBe(1);
    token.cancel();
    expect(p.stats.wakes, "a disposed waiter is not woken").toBe(0);
    const ready = budget(() => {
      spendBudget();
      return p.poll(token.cancelled());
    });
    expect(ready, "ready even at budget zero").toBeUndefined();
  });

  it("clone() is another handle on the same token; disposing a handle never cancels", () => {
    const { token, node } = rooted();
    const copy = token.clone();
    expect(copy.equals(token), "copy.equals(token)").toBe(true);
    expect(token.childToken().equals(token)).toBe(false);
    expect(node.numHandles, "node.numHandles").toBe(2);
    copy[Symbol.dispose]();
    expect(node.numHandles, "node.numHandles").toBe(1);
    copy[Symbol.dispose]();
    expect(node.numHandles, "a handle is dropped once: a second dispose does nothing").toBe(1);
    expect(token.isCancelled(), "token.isCancelled()").toBe(false);
    expect(() => copy.cancel(), "a disposed handle cannot be used").toThrow(/dropped/);
    token.cancel();
    expect(token.isCancelled(), "token.isCancelled()").toBe(true);
  });

  it("when the last handle of a node goes, the node leaves the tree and its children move up to its parent", () => {
    const { token: root, node } = rooted();
    const middle = root.childToken();
    const keep = middle.clone();
    const leaf = middle.childToken();
    const sibling = root.childToken();
    middle[Symbol.dispose]();
    expect(
      node.children.map((c) => c.children.length).sort(),
      "one handle is left: the middle node stays, with the leaf below it (children per child of the root)",
    ).toEqual([0, 1]);
    keep[Symbol.dispose]();
    expect(node.children.length, "sibling and the adopted leaf").toBe(2);
    expect(node.children.map((c) => c.parentIdx), "each child's parentIdx after the swap-remove (the last child takes the leaver's index)").toEqual([0, 1]);
    expect(node.children.every((c) => c.parent === node)).toBe(true);
    root.cancel();
    expect([leaf.isCancelled(), sibling.isCancelled()], "the leaf still hears its grandparent").toEqual([true, true]);
  });

  it("a root whose last handle goes lets go of its children, which can still be cancelled on their own", () => {
    const { token: root, node } = rooted();
    const child = root.childToken();
    const childNode = node.children[0]!;
    root[Symbol.dispose]();
    expect(node.children.length, "node.children.length").toBe(0);
    expect([childNode.parent, childNode.parentIdx], "the child has no parent now, and index 0").toEqual([null, 0]);
    expect(child.isCancelled(), "child.isCancelled()").toBe(false);
    child.cancel();
    expect(child.isCancelled(), "child.isCancelled()").toBe(true);
  });

  it("a node's handle count cannot be raised from zero, nor lowered below it", () => {
    const node = new treeNode.TreeNode();
    treeNode.decreaseHandleRefcount(node);
    expect(() => treeNode.increaseHandleRefcount(node), "a handle made after the last one went").toThrow(Error);
    expect(() => treeNode.decreaseHandleRefcount(node), "a handle dropped when none is left").toThrow(Error);
    expect(node.numHandles, "node.numHandles").toBe(0);
  });

  it("a drop guard cancels its token when disposed, unless disarmed", () => {
    const token = new CancellationToken();
    {
      using _guard = token.clone().dropGuard();
      expect(token.isCancelled(), "token.isCancelled()").toBe(false);
    }
    expect(token.isCancelled(), "the guard went out of scope").toBe(true);

    const other = new CancellationToken();
    const guard = other.clone().dropGuard();
    expect(guard.token().equals(other)).toBe(true);
    const back = guard.disarm();
    guard[Symbol.dispose]();
    expect(other.isCancelled(), "a disarmed guard cancels nothing").toBe(false);
    expect(back.equals(other), "back.equals(other)").toBe(true);
    expect(() => guard.token()).toThrow();
  });

  it("runUntilCancelled: the output if the future wins, undefined (and the future dropped) if the token does", async () => {
    const out = await paused(function* () {
      const token = new CancellationToken();
      const quick = yield* token.runUntilCancelled(
        asyncBlock(function* () {
          yield* sleep(5);
          return "quick";
        }),
      );
      const slow = new Gate<string>();
      spawn(
        asyncBlock(function* () {
          yield* sleep(20);
          token.cancel();
        }),
      );
      const cut = yield* token.runUntilCancelled(slow);
      const cutAt = now();
      const never = new Scripted<string>(() => "polled");
      const already = yield* token.runUntilCancelled(never);
      return { quick, cut, cutAt, slowDisposed: slow.disposed, already, neverPolls: never.polls, neverDisposed: never.disposed };
    });
    expect(out).toEqual({
      quick: "quick",
      cut: undefined,
      cutAt: 25,
      slowDisposed: 1,
      already: undefined,
      neverPolls: 0,
      neverDisposed: 1,
    });
  });

  it("runUntilCancelled: a throw of the future comes out; a future with no dispose is simply let go; disposing it disposes the future", () => {
    const token = new CancellationToken();
    const boom = new Error("boom");
    const p = probe();
    const throwing = token.runUntilCancelled(new Throwing<string>(boom));
    expect(() => p.poll(throwing), "the future's error").toThrow(boom);

    const bare = token.runUntilCancelled(pending<string>());
    expect(p.poll(bare), "p.poll(bare)").toBe(Pending);
    const waiting = token.runUntilCancelled(new Gate<string>());
    const gate = new Gate<string>();
    const dropped = token.runUntilCancelled(gate);
    const p2 = probe();
    expect(p2.poll(dropped), "p2.poll(dropped)").toBe(Pending);
    expect(p2.poll(dropped), "polled again").toBe(Pending);
    expect(p2.stats.refs, "one waker clone kept by the future, one by the cancellation it waits on").toBe(3);
    dropped[Symbol.dispose]!();
    expect(gate.disposed, "disposing a pending runUntilCancelled disposes its future once").toBe(1);
    expect(p2.stats.refs, "and its wait for the cancellation: both clones let go").toBe(1);
    token.cancel();
    expect(p.poll(bare), "cancelled: a future without [Symbol.dispose] is dropped without one").toBeUndefined();
    expect(p.poll(waiting), "never polled before the cancel").toBeUndefined();
    expect(p.stats.refs, "every waker clone was let go").toBe(1);
  });
});
