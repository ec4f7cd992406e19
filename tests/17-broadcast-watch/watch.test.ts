/**
 * Task 3: watch.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { budget, budgetRemaining, yieldNow } from "#kata/14-blocking";
import { watch } from "#kata/17-broadcast-watch";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { onRuntime, thrownAs } from "../_support/16-channels.ts";

describe("Task 3: Watch with versions", () => {
  it("the initial value counts as seen", () => {
    const [, rx] = watch.channel("init");
    expect(rx.hasChanged(), "rx.hasChanged()").toBe(false);
    const r = rx.borrow();
    expect([r.value, r.hasChanged()]).toEqual(["init", false]);
    expect(probe().poll(rx.changed()), "nothing unseen: changed() waits").toBe(Pending);
  });

  it("borrow reads without marking seen; borrowAndUpdate marks seen", () => {
    const [tx, rx] = watch.channel(0);
    tx.send(1);
    expect(rx.hasChanged(), "rx.hasChanged()").toBe(true);
    const b = rx.borrow();
    expect([b.value, b.hasChanged()]).toEqual([1, true]);
    expect(rx.hasChanged(), "borrow leaves it unseen").toBe(true);
    const u = rx.borrowAndUpdate();
    expect([u.value, u.hasChanged()]).toEqual([1, true]);
    expect(rx.hasChanged(), "rx.hasChanged()").toBe(false);
    expect(rx.borrowAndUpdate().hasChanged()).toBe(false);
    rx.markChanged();
    expect(rx.hasChanged(), "rx.hasChanged()").toBe(true);
    rx.markUnchanged();
    expect(rx.hasChanged(), "rx.hasChanged()").toBe(false);
  });

  it("changed() completes at once for an unseen value, waits otherwise, and is woken by a send", () => {
    const [tx, rx] = watch.channel("a");
    tx.send("b");
    const p = probe();
    expect(p.poll(rx.changed())).toBeUndefined();
    expect(rx.hasChanged(), "changed() marked it seen").toBe(false);
    const c = rx.changed();
    expect(p.poll(c), "p.poll(c)").toBe(Pending);
    tx.send("c");
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(p.poll(c)).toBeUndefined();
    expect(rx.borrow().value, "rx.borrow().value").toBe("c");
  });

  it("an unseen value wins over closed; after it, changed() and hasChanged() fail with RecvError", () => {
    const [tx, rx] = watch.channel(1);
    tx.send(2);
    tx[Symbol.dispose]();
    const p = probe();
    expect(p.poll(rx.changed()), "the last value is still delivered").toBeUndefined();
    const e = thrownAs(watch.RecvError, () => p.poll(rx.changed()));
    expect(e.message, "e.message").toBe("channel closed");
    expect(() => rx.hasChanged()).toThrow(watch.RecvError);
    expect(rx.borrow().value, "the value stays readable").toBe(2);
  });

  it("dropping the last sender wakes a waiting changed(), which then fails", () => {
    const [tx, rx] = watch.channel(0);
    const tx2 = tx.clone();
    const p = probe();
    const c = rx.changed();
    expect(p.poll(c), "p.poll(c)").toBe(Pending);
    tx[Symbol.dispose]();
    expect(p.stats.wakes, "another sender is alive").toBe(0);
    tx2[Symbol.dispose]();
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(() => p.poll(c)).toThrow(watch.RecvError);
  });

  it("send fails with no receiver; sendReplace, sendModify and sendIfModified always store", () => {
    const [tx, rx] = watch.channel(10);
    rx[Symbol.dispose]();
    expect(tx.isClosed(), "tx.isClosed()").toBe(true);
    const e = thrownAs(watch.SendError, () => tx.send(11));
    expect([e.value, e.message]).toEqual([11, "channel closed"]);
    expect(tx.borrow().value, "a failed send stores nothing").toBe(10);
    expect(tx.sendReplace(20), "tx.sendReplace(20)").toBe(10);
    tx.sendModify((slot) => {
      slot.value += 1;
    });
    expect(tx.borrow().value, "tx.borrow().value").toBe(21);
    expect(tx.borrow().hasChanged(), "the sender's borrow is never 'changed'").toBe(false);
    const late = tx.subscribe();
    expect(late.hasChanged(), "a new subscriber has seen the current value").toBe(false);
    expect(tx.sendIfModified(() => false)).toBe(false);
    expect(late.hasChanged(), "not modified: no new version").toBe(false);
    expect(tx.sendIfModified((slot) => ((slot.value = 30), true))).toBe(true);
    expect([late.hasChanged(), late.borrow().value]).toEqual([true, 30]);
  });

  it("every waiting receiver is woken by one send; a clone starts from the version of its original", async () => {
    const log = await onRuntime(function* () {
      const [tx, rx] = watch.channel("v0");
      const log: string[] = [];
      const tasks = [rx.clone(), rx.clone()].map((mine, i) =>
        spawn(
          asyncBlock(function* () {
            yield* mine.changed();
            log.push(`${i} saw ${mine.borrowAndUpdate().value}`);
          }),
        ),
      );
      yield* yieldNow();
      tx.send("v1");
      for (const t of tasks) yield* t;
      log.push(`original unseen: ${rx.hasChanged()}`);
      return log;
    });
    expect(log).toEqual(["0 saw v1", "1 saw v1", "original unseen: true"]);
  });

  it("a clone of a receiver that has not seen the latest value has not seen it either", () => {
    const [tx, rx] = watch.channel("v0");
    tx.send("v1");
    const copy = rx.clone();
    expect(copy.hasChanged(), "the clone starts at its original's version, not at the current one").toBe(true);
    expect(copy.borrowAndUpdate().value, "copy.borrowAndUpdate().value").toBe("v1");
    expect([copy.hasChanged(), rx.hasChanged()], "seeing it through the clone leaves the original unseen").toEqual([false, true]);
  });

  it("changed() spends a unit of budget per poll that completes; Sender.closed() waits for the last receiver", async () => {
    const [tx, rx] = watch.channel(0);
    const p = probe();
    budget(() => {
      const c = rx.changed();
      expect(p.poll(c), "p.poll(c)").toBe(Pending);
      expect(budgetRemaining(), "budgetRemaining()").toBe(128);
      tx.send(1);
      expect(p.poll(c)).toBeUndefined();
      expect(budgetRemaining(), "budgetRemaining()").toBe(127);
    });
    const closed = tx.closed();
    expect(p.poll(closed), "p.poll(closed)").toBe(Pending);
    expect(tx.receiverCount(), "tx.receiverCount()").toBe(1);
    rx[Symbol.dispose]();
    expect(p.poll(closed)).toBeUndefined();
  });
  it("with the budget spent, changed() and Sender.closed() return Pending even when they could complete", () => {
    const [tx, rx] = watch.channel(0);
    tx.send(1);
    const [lonely, gone] = watch.channel(0);
    gone[Symbol.dispose]();
    const changed = rx.changed();
    const closed = lonely.closed();
    budget(() => {
      spendBudget();
      expect(probe().poll(changed), "changed() with an unseen value and no budget").toBe(Pending);
      expect(probe().poll(closed), "closed() with no receiver and no budget").toBe(Pending);
    });
    expect(probe().poll(changed), "changed() with budget again").toBeUndefined();
    expect(probe().poll(closed), "closed() with budget again").toBeUndefined();
  });

  it("handles: counts, sameChannel, isClosed, uses after a drop throw, a second drop does nothing", () => {
    const [tx, rx] = watch.channel(0);
    const [otherTx, otherRx] = watch.channel(0);
    const tx2 = tx.clone();
    const rx2 = tx.subscribe();
    const rx3 = rx.clone();
    expect([tx.senderCount(), tx.receiverCount()]).toEqual([2, 3]);
    expect([tx.sameChannel(tx2), tx.sameChannel(otherTx), rx.sameChannel(rx2), rx.sameChannel(otherRx)]).toEqual([true, false, true, false]);
    rx2[Symbol.dispose]();
    rx2[Symbol.dispose]();
    expect(tx.receiverCount(), "dropped twice, counted once").toBe(2);
    expect(() => rx2.hasChanged(), "hasChanged on a dropped Receiver").toThrow("watch Receiver used after it was dropped");
    tx2[Symbol.dispose]();
    tx2[Symbol.dispose]();
    expect(tx.senderCount(), "dropped twice, counted once").toBe(1);
    expect(() => tx2.send(1), "send on a dropped Sender").toThrow("watch Sender used after it was dropped");
    rx[Symbol.dispose]();
    expect(tx.isClosed(), "one receiver is left").toBe(false);
    rx3[Symbol.dispose]();
    expect(tx.isClosed(), "no receiver left").toBe(true);
  });

  it("changed(): polled again after it completed it throws; dropped while it waits it lets go of its notification", () => {
    const [tx, rx] = watch.channel(0);
    tx.send(1);
    const done = rx.changed();
    expect(probe().poll(done)).toBeUndefined();
    expect(() => probe().poll(done)).toThrow("`Changed` polled after completion");
    const waiting = rx.changed();
    const p = probe();
    expect(p.poll(waiting), "p.poll(waiting)").toBe(Pending);
    expect(p.poll(waiting), "polled again").toBe(Pending);
    expect(p.stats.refs, "one Notified waits, with one clone of the waker").toBe(2);
    waiting[Symbol.dispose]!();
    expect(p.stats.refs, "dropped: the clone is let go").toBe(1);
    tx.send(2);
    expect(p.stats.wakes, "a dropped changed() is not woken").toBe(0);
    rx.markChanged();
    expect(rx.hasChanged(), "markChanged makes the current value unseen").toBe(true);
    rx.markUnchanged();
    expect(rx.hasChanged(), "rx.hasChanged()").toBe(false);
  });

  it("Sender.closed(): at once with no receiver; otherwise it waits, and its drop while waiting is harmless", () => {
    const [tx, rx] = watch.channel(0);
    const other = rx.clone();
    const waiting = tx.closed();
    const p = probe();
    expect(p.poll(waiting), "p.poll(waiting)").toBe(Pending);
    expect(p.poll(waiting), "polled again: still waiting").toBe(Pending);
    waiting[Symbol.dispose]!();
    expect(p.stats.refs, "the dropped closed() let go of its waker").toBe(1);
    const second = tx.closed();
    expect(p.poll(second), "p.poll(second)").toBe(Pending);
    rx[Symbol.dispose]();
    expect(p.stats.wakes, "one receiver is left: only the last one's drop wakes the senders").toBe(0);
    other[Symbol.dispose]();
    expect(p.stats.wakes, "the last receiver left").toBe(1);
    expect(p.poll(second), "p.poll(second)").toBeUndefined();
    expect(probe().poll(tx.closed()), "a new closed() with no receiver").toBeUndefined();
  });
});
