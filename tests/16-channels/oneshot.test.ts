/**
 * Task 3: oneshot.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { budget, budgetRemaining } from "#kata/14-blocking";
import { oneshot } from "#kata/16-channels";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { onRuntime, thrownAs } from "../_support/16-channels.ts";

describe("Task 3: oneshot", () => {
  it("a value sent from one task is the output of the receiver awaited in another", async () => {
    const v = await onRuntime(function* () {
      const [tx, rx] = oneshot.channel<{ answer: number }>();
      spawn(
        asyncBlock(function* () {
          tx.send({ answer: 42 });
        }),
      );
      return yield* rx;
    });
    expect(v).toEqual({ answer: 42 });
  });

  it("a waiting receiver is woken once by send, and the receive spends one unit of budget", () => {
    const [tx, rx] = oneshot.channel<string>();
    const p = probe();
    budget(() => {
      expect(p.poll(rx), "p.poll(rx)").toBe(Pending);
      expect(budgetRemaining(), "pending: the unit is given back").toBe(128);
      expect(p.poll(rx), "p.poll(rx)").toBe(Pending);
      expect(p.stats.refs, "the same task polled twice: one clone kept").toBe(2);
      tx.send("hi");
      expect(p.stats.wakes, "p.stats.wakes").toBe(1);
      expect(p.poll(rx), "p.poll(rx)").toBe("hi");
      expect(budgetRemaining(), "budgetRemaining()").toBe(127);
    });
    expect(rx.isTerminated(), "rx.isTerminated()").toBe(true);
    expect(() => p.poll(rx), "polled after it completed").toThrow("called after complete");
  });

  it("undefined is a value like any other", () => {
    const [tx, rx] = oneshot.channel<undefined>();
    tx.send(undefined);
    expect(probe().poll(rx)).toBeUndefined();
  });

  it("send fails once the receiver is gone, and gives the value back", () => {
    const [tx, rx] = oneshot.channel<number[]>();
    rx[Symbol.dispose]();
    expect(tx.isClosed(), "tx.isClosed()").toBe(true);
    const value = [1, 2];
    const e = thrownAs(oneshot.SendError, () => tx.send(value));
    expect(e.value, "the very value that could not be sent").toBe(value);
    expect(e.message, "e.message").toBe("channel closed");
    const [tx2, rx2] = oneshot.channel<number>();
    rx2.close();
    expect(thrownAs(oneshot.SendError, () => tx2.send(7)).value, "close() refuses it too").toBe(7);
    expect(() => tx2.send(8), "the sender was consumed").toThrow();
  });

  it("a sender dropped without sending makes the receiver fail with RecvError", () => {
    const [tx, rx] = oneshot.channel<number>();
    const p = probe();
    expect(p.poll(rx), "p.poll(rx)").toBe(Pending);
    tx[Symbol.dispose]();
    expect(p.stats.wakes, "the drop wakes the receiver").toBe(1);
    const e = thrownAs(oneshot.RecvError, () => p.poll(rx));
    expect(e.message, "e.message").toBe("channel closed");
    expect(rx.isTerminated(), "rx.isTerminated()").toBe(true);
  });

  it("closed() completes once the receiver is dropped or closed, and not before", () => {
    const [tx, rx] = oneshot.channel<number>();
    const p = probe();
    const closed = tx.closed();
    expect(p.poll(closed), "p.poll(closed)").toBe(Pending);
    expect(tx.isClosed(), "tx.isClosed()").toBe(false);
    rx.close();
    expect(p.stats.wakes, "closing the receiver wakes the sender").toBe(1);
    expect(p.poll(closed)).toBeUndefined();
    const [tx2, rx2] = oneshot.channel<number>();
    const p2 = probe();
    expect(p2.poll(tx2.closed())).toBe(Pending);
    rx2[Symbol.dispose]();
    expect(p2.stats.wakes, "dropping the receiver wakes it too").toBe(1);
    expect(tx2.isClosed(), "tx2.isClosed()").toBe(true);
    expect(p2.poll(tx2.closed())).toBeUndefined();
  });

  it("tryRecv: empty before the send, the value after, closed once the sender is gone", () => {
    const [tx, rx] = oneshot.channel<string>();
    expect(rx.isEmpty(), "rx.isEmpty()").toBe(true);
    expect(thrownAs(oneshot.TryRecvError, () => rx.tryRecv()).kind).toBe("empty");
    expect(rx.isTerminated(), "empty leaves it usable").toBe(false);
    tx.send("v");
    expect(rx.isEmpty(), "rx.isEmpty()").toBe(false);
    expect(rx.tryRecv(), "rx.tryRecv()").toBe("v");
    expect(rx.isTerminated(), "rx.isTerminated()").toBe(true);
    const [tx2, rx2] = oneshot.channel<string>();
    tx2[Symbol.dispose]();
    const e = thrownAs(oneshot.TryRecvError, () => rx2.tryRecv());
    expect([e.kind, e.message]).toEqual(["closed", "channel closed"]);
  });

  it("a receiver closed after the send can still take the value", () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(5);
    rx.close();
    expect(rx.tryRecv(), "rx.tryRecv()").toBe(5);
  });
  it("polled again by the same task, a waiting receiver or closed() makes no vtable call", () => {
    const [tx, rx] = oneshot.channel<number>();
    const r = tracked();
    expect(rx.poll(r.cx), "rx.poll(r.cx)").toBe(Pending);
    expect(rx.poll(r.cx), "rx.poll(r.cx)").toBe(Pending);
    expect({ ...r.calls }, "the receiver keeps its one clone").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    const t = tracked();
    const closed = tx.closed();
    expect(closed.poll(t.cx), "closed.poll(t.cx)").toBe(Pending);
    expect(closed.poll(t.cx), "closed.poll(t.cx)").toBe(Pending);
    expect({ ...t.calls }, "closed() keeps its one clone").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    rx.close();
    expect(t.calls.wakeByRef, "closing the receiver wakes closed()").toBe(1);
    expect(r.calls.drop, "and drops the receiver's own waker").toBe(1);
    expect(probe().poll(closed)).toBeUndefined();
  });

  it("with the budget spent, recv and closed() return Pending even when they could complete", () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(1);
    const [tx2, rx2] = oneshot.channel<number>();
    const closed = tx2.closed();
    rx2.close();
    budget(() => {
      spendBudget();
      expect(probe().poll(rx), "recv with no budget").toBe(Pending);
      expect(probe().poll(closed), "closed() with no budget").toBe(Pending);
    });
    expect(probe().poll(closed), "with budget again").toBeUndefined();
  });

  it("isEmpty and isTerminated follow the value; a dropped receiver drops a value that was sent", () => {
    const [tx, rx] = oneshot.channel<string>();
    expect([rx.isEmpty(), rx.isTerminated()]).toEqual([true, false]);
    tx.send("v");
    expect(rx.isEmpty(), "a value is waiting").toBe(false);
    expect(rx.tryRecv(), "rx.tryRecv()").toBe("v");
    expect([rx.isEmpty(), rx.isTerminated()], "taken: empty and terminated").toEqual([true, true]);
    expect(() => rx.close(), "close after the end does nothing").not.toThrow();
    const [tx2, rx2] = oneshot.channel<{ big: number[] }>();
    tx2.send({ big: [1] });
    rx2[Symbol.dispose]();
    expect(rx2.isEmpty(), "dropped: nothing to read").toBe(true);
    expect(() => tx2.send({ big: [] }), "a consumed sender refuses a second send").toThrow(
      "oneshot Sender used after it was consumed by send() or dropped",
    );
  });

  it("recv and closed() look again after storing their waker: what happened meanwhile (here in the waker's clone) is not missed", () => {
    const contextCloning = (during: () => void): Context => {
      let clones = 0;
      const vtable: RawWakerVTable = {
        clone: (data) => {
          if (clones++ === 0) during();
          return new RawWaker(data, vtable);
        },
        wake: () => {},
        wakeByRef: () => {},
        drop: () => {},
      };
      return new Context(Waker.fromRaw(new RawWaker(null, vtable)));
    };
    const [tx, rx] = oneshot.channel<string>();
    expect(rx.poll(contextCloning(() => tx.send("sent during the registration"))), "the same poll returns the value").toBe(
      "sent during the registration",
    );
    const [tx2, rx2] = oneshot.channel<string>();
    const closed = tx2.closed();
    expect(closed.poll(contextCloning(() => rx2.close())), "the same poll sees the receiver closed").toBeUndefined();
  });
});
