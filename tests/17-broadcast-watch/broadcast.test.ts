/**
 * Task 2: broadcast.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { budget, budgetRemaining } from "#kata/14-blocking";
import { broadcast } from "#kata/17-broadcast-watch";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { onRuntime, thrownAs } from "../_support/16-channels.ts";

/** Everything a receiver can take now, with lag reports as "lagged N". */
function drain<T>(rx: broadcast.Receiver<T>): (T | string)[] {
  const out: (T | string)[] = [];
  for (;;) {
    try {
      out.push(rx.tryRecv());
    } catch (e) {
      if (!(e instanceof broadcast.TryRecvError)) throw e;
      if (e.kind === "lagged") out.push(`lagged ${e.missed}`);
      else return out;
    }
  }
}

/** A channel of two receivers, each with a receive polled once (by `p1`, `p2`) and waiting. */
function twoWaiting() {
  const [tx, rx1] = broadcast.channel<string>(4);
  const rx2 = tx.subscribe();
  const p1 = probe();
  const p2 = probe();
  const r1 = rx1.recv();
  const r2 = rx2.recv();
  expect(p1.poll(r1), "p1.poll(r1)").toBe(Pending);
  expect(p2.poll(r2), "p2.poll(r2)").toBe(Pending);
  return { tx, rx2, p1, p2, r1, r2 };
}

describe("Task 2: Broadcast with lag", () => {
  it("every receiver sees every message, the same value, in order", () => {
    const [tx, rx1] = broadcast.channel<{ n: number }>(8);
    const rx2 = tx.subscribe();
    const m = { n: 1 };
    tx.send(m);
    tx.send({ n: 2 });
    const a = drain(rx1);
    const b = drain(rx2);
    expect(a).toEqual([{ n: 1 }, { n: 2 }]);
    expect(b).toEqual(a);
    expect(a[0], "no clone: the very object that was sent").toBe(m);
  });

  it("send never waits, returns how many receivers there are, and fails with none", () => {
    const [tx, rx] = broadcast.channel<string>(2);
    expect(tx.send("a")).toBe(1);
    const rx2 = rx.resubscribe();
    expect(tx.send("b")).toBe(2);
    expect(tx.receiverCount(), "tx.receiverCount()").toBe(2);
    rx[Symbol.dispose]();
    rx2[Symbol.dispose]();
    expect(tx.receiverCount(), "tx.receiverCount()").toBe(0);
    const e = thrownAs(broadcast.SendError, () => tx.send("c"));
    expect([e.value, e.message]).toEqual(["c", "channel closed"]);
  });

  it("capacity is rounded up to a power of two; zero is refused", () => {
    expect(() => broadcast.channel(0)).toThrow("broadcast channel capacity cannot be zero");
    const [tx, rx] = broadcast.channel<number>(3);
    for (let i = 1; i <= 4; i++) tx.send(i);
    expect(drain(rx), "3 rounds up to 4: four messages fit").toEqual([1, 2, 3, 4]);
    const [tx5, rx5] = broadcast.channel<number>(5);
    for (let i = 1; i <= 9; i++) tx5.send(i);
    expect(drain(rx5), "5 rounds up to 8: the ninth overwrote the first").toEqual(["lagged 1", 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a receiver that fell behind gets Lagged(n) with Tokio's arithmetic, then the oldest message still held", () => {
    const [tx, rx] = broadcast.channel<number>(2);
    for (let i = 0; i < 5; i++) tx.send(i);
    // tail at 5, two slots: the oldest held is 3, the receiver was at 0, so it missed 3.
    const e = thrownAs(broadcast.TryRecvError, () => rx.tryRecv());
    expect([e.kind, e.missed, e.message]).toEqual(["lagged", 3, "channel lagged by 3"]);
    expect(rx.tryRecv(), "rx.tryRecv()").toBe(3);
    tx.send(5);
    tx.send(6);
    tx.send(7);
    expect(drain(rx), "at 4, the oldest held is now 6: missed 4 and 5").toEqual(["lagged 2", 6, 7]);
  });

  it("recv() reports lag as RecvError lagged, then carries on", async () => {
    const out = await onRuntime(function* () {
      const [tx, rx] = broadcast.channel<number>(1);
      tx.send(1);
      tx.send(2);
      const out: (number | string)[] = [];
      try {
        yield* rx.recv();
      } catch (e) {
        if (!(e instanceof broadcast.RecvError)) throw e;
        out.push(`${e.kind} ${e.missed}: ${e.message}`);
      }
      out.push(yield* rx.recv());
      return out;
    });
    expect(out).toEqual(["lagged 1: channel lagged by 1", 2]);
  });

  it("Closed comes only once the receiver has caught up", () => {
    const [tx, rx] = broadcast.channel<string>(4);
    tx.send("a");
    tx.send("b");
    tx[Symbol.dispose]();
    expect(rx.isClosed(), "rx.isClosed()").toBe(true);
    const p = probe();
    expect(p.poll(rx.recv())).toBe("a");
    expect(p.poll(rx.recv())).toBe("b");
    const e = thrownAs(broadcast.RecvError, () => p.poll(rx.recv()));
    expect([e.kind, e.message]).toEqual(["closed", "channel closed"]);
    expect(thrownAs(broadcast.TryRecvError, () => rx.tryRecv()).kind).toBe("closed");
    const late = rx.resubscribe();
    expect(
      thrownAs(broadcast.TryRecvError, () => late.tryRecv()).kind,
      "a receiver made after every sender left: only the first receiver after none reopens the channel",
    ).toBe("closed");
  });

  it("subscribe starts at the tail; a Sender made alone has no receiver until one subscribes", () => {
    const tx = broadcast.Sender.new<number>(4);
    expect(() => tx.send(0), "nobody listens yet").toThrow(broadcast.SendError);
    const rx = tx.subscribe();
    expect(
      thrownAs(broadcast.TryRecvError, () => rx.tryRecv()).kind,
      "the first receiver after none reopens the channel: nothing sent yet, but not closed",
    ).toBe("empty");
    tx.send(1);
    const late = tx.subscribe();
    tx.send(2);
    expect(drain(rx), "drain(rx)").toEqual([1, 2]);
    expect(drain(late), "a later subscriber never sees what was sent before").toEqual([2]);
    expect(thrownAs(broadcast.TryRecvError, () => late.tryRecv()).kind).toBe("empty");
  });

  it("a waiting receive is woken by send; a dropped one leaves the waiters and loses nothing", () => {
    const { tx, rx2, p1, p2, r1, r2 } = twoWaiting();
    r2[Symbol.dispose]?.();
    expect(p2.stats.refs, "the dropped receive let go of its waker").toBe(1);
    tx.send("x");
    expect([p1.stats.wakes, p2.stats.wakes]).toEqual([1, 0]);
    expect(p1.poll(r1), "p1.poll(r1)").toBe("x");
    expect(p2.poll(rx2.recv()), "the dropped receive lost nothing").toBe("x");
  });

  it("a waiting receive polled again stays queued once: one send wakes every waiter", () => {
    const { tx, p1, p2, r1, r2 } = twoWaiting();
    expect(p1.poll(r1), "r1 polled again").toBe(Pending);
    tx.send("x");
    expect([p1.stats.wakes, p2.stats.wakes], "both woken, once each").toEqual([1, 1]);
    expect([p1.poll(r1), p2.poll(r2)]).toEqual(["x", "x"]);
  });

  it("receiving spends a unit of budget; waiting gives it back", () => {
    const [tx, rx] = broadcast.channel<number>(2);
    const p = probe();
    budget(() => {
      const r = rx.recv();
      expect(p.poll(r), "p.poll(r)").toBe(Pending);
      expect(budgetRemaining(), "budgetRemaining()").toBe(128);
      tx.send(1);
      expect(p.poll(r), "p.poll(r)").toBe(1);
      expect(budgetRemaining(), "budgetRemaining()").toBe(127);
      tx.send(2);
      spendBudget();
      expect(p.poll(rx.recv()), "no budget: Pending although a message waits").toBe(Pending);
    });
    expect(p.poll(rx.recv()), "with budget again").toBe(2);
  });

  it("lengths, and Sender.closed() when the last receiver leaves", async () => {
    const seen = await onRuntime(function* () {
      const [tx, rx] = broadcast.channel<number>(4);
      const rx2 = tx.subscribe();
      tx.send(1);
      tx.send(2);
      const seen: (number | string)[] = [tx.len(), rx.len()];
      rx.tryRecv();
      seen.push(tx.len(), rx.len(), rx2.len());
      const watcher = spawn(
        asyncBlock(function* () {
          yield* tx.closed();
          return "closed";
        }),
      );
      rx[Symbol.dispose]();
      seen.push(tx.len(), tx.receiverCount());
      rx2[Symbol.dispose]();
      seen.push(yield* watcher, tx.isEmpty() ? "empty" : "not empty");
      return seen;
    });
    expect(seen).toEqual([2, 2, 2, 1, 2, 2, 1, "closed", "empty"]);
  });
  it("Sender.len() counts the slots from the tail on that some receiver has yet to read; isEmpty() reads the newest", () => {
    // Every way two receivers of a channel of 4 can stand after 0 to 9 sends, checked against a plain count.
    for (let sent = 0; sent <= 9; sent++) {
      for (let readA = 0; readA <= sent; readA++) {
        for (let readB = 0; readB <= sent; readB++) {
          const [tx, a] = broadcast.channel<number>(4);
          const b = tx.subscribe();
          for (let i = 0; i < sent; i++) tx.send(i);
          /** Reads until `n` messages are behind `rx` (those overwritten before it read them count as behind). */
          const skipTo = (rx: broadcast.Receiver<number>, n: number) => {
            let behind = Math.max(0, sent - 4);
            if (n <= behind) return;
            for (;;) {
              try {
                rx.tryRecv();
              } catch (e) {
                if (!(e instanceof broadcast.TryRecvError) || e.kind !== "lagged") throw e;
                continue;
              }
              if (++behind === n) return;
            }
          };
          skipTo(a, readA);
          skipTo(b, readB);
          const held = Math.min(sent, 4);
          const unreadA = Math.min(sent - readA, held);
          const unreadB = Math.min(sent - readB, held);
          const expected = Math.max(unreadA, unreadB);
          const where = `after ${sent} sends, receivers at ${readA} and ${readB}`;
          expect(tx.len(), `len ${where}`).toBe(expected);
          expect(tx.isEmpty(), `isEmpty ${where}`).toBe(expected === 0);
        }
      }
    }
  });

  it("capacity: anything but a whole number from 1 to 2^30 throws a RangeError", () => {
    for (const bad of [-1, 1.5, 2 ** 30 + 1, Number.NaN]) {
      expect(() => broadcast.channel(bad), `capacity ${bad}`).toThrow(RangeError);
    }
    expect(() => broadcast.channel(1), "capacity 1").not.toThrow();
  });

  it("handles: sameChannel, Sender.clone counts senders, isClosed and isEmpty, a dropped Sender refuses use", () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const [otherTx, otherRx] = broadcast.channel<number>(4);
    const tx2 = tx.clone();
    const rx2 = tx.subscribe();
    expect([tx.sameChannel(tx2), tx.sameChannel(otherTx), rx.sameChannel(rx2), rx.sameChannel(otherRx)]).toEqual([true, false, true, false]);
    expect([rx.isEmpty(), rx.isClosed()]).toEqual([true, false]);
    tx.send(1);
    expect(rx.isEmpty(), "a message waits").toBe(false);
    tx[Symbol.dispose]();
    expect(rx.isClosed(), "the clone still sends").toBe(false);
    tx2.send(2);
    tx2[Symbol.dispose]();
    expect(rx.isClosed(), "no sender left").toBe(true);
    expect(drain(rx), "messages sent before the last sender left are still read").toEqual([1, 2]);
    expect(() => tx.send(3), "send on a dropped Sender").toThrow("broadcast Sender used after it was dropped");
    expect(() => tx[Symbol.dispose](), "a second drop does nothing").not.toThrow();
    rx2[Symbol.dispose]();
    expect(() => rx2.tryRecv(), "tryRecv on a dropped Receiver").toThrow("broadcast Receiver used after it was dropped");
    expect(() => rx2[Symbol.dispose](), "a second receiver drop does nothing").not.toThrow();
  });

  it("Sender.closed(): at once when no receiver is left, waits otherwise, and can be dropped while it waits", () => {
    const [tx, rx] = broadcast.channel<number>(2);
    const other = tx.subscribe();
    const waiting = tx.closed();
    const p = probe();
    expect(p.poll(waiting), "p.poll(waiting)").toBe(Pending);
    expect(p.poll(waiting), "polled again: still waiting").toBe(Pending);
    waiting[Symbol.dispose]!();
    expect(p.stats.refs, "the dropped closed() let go of its waker").toBe(1);
    const second = tx.closed();
    expect(p.poll(second), "p.poll(second)").toBe(Pending);
    rx[Symbol.dispose]();
    expect(p.poll(second), "one receiver is left").toBe(Pending);
    expect(thrownAs(broadcast.TryRecvError, () => other.tryRecv()).kind, "and the channel is open for it").toBe("empty");
    other[Symbol.dispose]();
    expect(p.poll(second), "the last receiver left").toBeUndefined();
    expect(probe().poll(tx.closed()), "a new closed() on a channel with no receiver").toBeUndefined();
  });

  it("a waiting receive polled again by the same task makes no vtable call; one send wakes it once", () => {
    const [tx, rx] = broadcast.channel<number>(2);
    const { cx, calls } = tracked();
    const r = rx.recv();
    expect(r.poll(cx), "r.poll(cx)").toBe(Pending);
    expect(r.poll(cx), "r.poll(cx)").toBe(Pending);
    expect({ ...calls }, "one clone, queued once").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    tx.send(9);
    expect(calls.wake, "woken once").toBe(1);
    expect(r.poll(cx), "r.poll(cx)").toBe(9);
    expect(() => r.poll(cx), "a Recv polled after it completed").toThrow("`Recv` polled after completion");
  });

  it("a receiver dropped while it lags still lets go of every message it had not read", () => {
    const [tx, rx] = broadcast.channel<number>(2);
    const behind = tx.subscribe();
    for (const v of [1, 2, 3]) tx.send(v);
    expect(drain(rx), "drain(rx)").toEqual(["lagged 1", 2, 3]);
    expect(tx.len(), "2 and 3 wait for the receiver that lags").toBe(2);
    behind[Symbol.dispose]();
    expect(tx.len(), "dropped, it read past its lag: nothing is held for it any more").toBe(0);
    expect(tx.isEmpty(), "tx.isEmpty()").toBe(true);
  });
});
