/**
 * Tasks 4 and 5: the bounded mpsc channel; the unbounded one, closing and cancel safety.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { budget, budgetRemaining, yieldNow } from "#kata/14-blocking";
import { spendBudget } from "../_support/14-blocking.ts";
import { mpsc } from "#kata/16-channels";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { onRuntime, thrownAs } from "../_support/16-channels.ts";

describe("Task 4: Bounded mpsc", () => {
  it("channel(0) is refused; a new channel has all its capacity", () => {
    expect(() => mpsc.channel(0)).toThrow("mpsc bounded channel requires buffer > 0");
    const [tx, rx] = mpsc.channel<number>(3);
    expect([tx.capacity(), tx.maxCapacity(), rx.capacity(), rx.maxCapacity()]).toEqual([3, 3, 3, 3]);
  });

  it("sends complete at once while there is room; the receiver takes messages in order and frees their slots", () => {
    const [tx, rx] = mpsc.channel<string>(2);
    const p = probe();
    expect(p.poll(tx.send("a"))).toBeUndefined();
    expect(p.poll(tx.send("b"))).toBeUndefined();
    expect([tx.capacity(), rx.len()], "two slots in use").toEqual([0, 2]);
    expect(p.poll(rx.recv())).toBe("a");
    expect(tx.capacity(), "the permit came back when the message was taken").toBe(1);
    expect(rx.tryRecv(), "rx.tryRecv()").toBe("b");
    expect([tx.capacity(), rx.isEmpty()]).toEqual([2, true]);
  });

  it("a full channel makes senders wait; each received message lets the oldest waiting sender in", () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const p = probe();
    expect(p.poll(tx.send(1))).toBeUndefined();
    const p2 = probe();
    const p3 = probe();
    const s2 = tx.send(2);
    const s3 = tx.send(3);
    expect(p2.poll(s2), "p2.poll(s2)").toBe(Pending);
    expect(p3.poll(s3), "p3.poll(s3)").toBe(Pending);
    expect(p.poll(rx.recv())).toBe(1);
    expect([p2.stats.wakes, p3.stats.wakes], "the first waiting sender got the slot").toEqual([1, 0]);
    expect(p2.poll(s2)).toBeUndefined();
    expect(p.poll(rx.recv())).toBe(2);
    expect(p3.stats.wakes, "p3.stats.wakes").toBe(1);
    expect(p3.poll(s3)).toBeUndefined();
    expect(p.poll(rx.recv())).toBe(3);
  });

  it("capacity covers reservations: a Permit holds a slot, sends into it, or gives it back when dropped", () => {
    const [tx, rx] = mpsc.channel<string>(2);
    const p = probe();
    const permit = p.poll(tx.reserve());
    if (permit === Pending) throw new Error("reserve should be ready");
    const other = tx.tryReserve();
    expect(tx.capacity(), "two slots reserved, none queued").toBe(0);
    expect(thrownAs(mpsc.TrySendError, () => tx.trySend("x")).kind).toBe("full");
    other[Symbol.dispose]();
    expect(tx.capacity(), "an unused permit returns its slot").toBe(1);
    permit.send("reserved");
    expect([tx.capacity(), rx.len()], "sending into a permit uses its slot").toEqual([1, 1]);
    expect(rx.tryRecv(), "rx.tryRecv()").toBe("reserved");
    expect(tx.capacity(), "tx.capacity()").toBe(2);
  });

  it("trySend fails with full or closed, carrying the message back; it never jumps the queue", () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend("a");
    const full = thrownAs(mpsc.TrySendError, () => tx.trySend("b"));
    expect([full.kind, full.value, full.message]).toEqual(["full", "b", "no available capacity"]);
    const waiting = tx.send("c");
    expect(probe().poll(waiting)).toBe(Pending);
    expect(rx.tryRecv(), "rx.tryRecv()").toBe("a");
    expect(thrownAs(mpsc.TrySendError, () => tx.trySend("d")).kind, "the freed slot went to the waiting send").toBe("full");
    rx.close();
    const closed = thrownAs(mpsc.TrySendError, () => tx.trySend("e"));
    expect([closed.kind, closed.intoInner(), closed.message]).toEqual(["closed", "e", "channel closed"]);
  });

  it("recv returns undefined once every sender is gone and the queue is drained", async () => {
    const got = await onRuntime(function* () {
      const [tx, rx] = mpsc.channel<number>(2);
      for (const start of [0, 100]) {
        const mine = tx.clone();
        spawn(
          asyncBlock(function* () {
            for (let i = start; i < start + 3; i++) yield* mine.send(i);
            mine[Symbol.dispose]();
          }),
        );
      }
      tx[Symbol.dispose]();
      const got: number[] = [];
      for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) got.push(v);
      got.push(rx.senderStrongCount());
      return got;
    });
    expect(got.slice(-1), "no sender left").toEqual([0]);
    const msgs = got.slice(0, -1);
    expect(msgs.filter((v) => v < 100), "each sender's messages arrive in its order").toEqual([0, 1, 2]);
    expect(msgs.filter((v) => v >= 100)).toEqual([100, 101, 102]);
  });

  it("send throws SendError with the message once the receiver is gone, also while it waits", () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend("queued");
    const p = probe();
    const waiting = tx.send("waiting");
    expect(p.poll(waiting), "p.poll(waiting)").toBe(Pending);
    rx[Symbol.dispose]();
    expect(p.stats.wakes, "the drop wakes the waiting sender").toBe(1);
    const e = thrownAs(mpsc.SendError, () => p.poll(waiting));
    expect([e.value, e.message]).toEqual(["waiting", "channel closed"]);
    expect(tx.isClosed(), "tx.isClosed()").toBe(true);
    expect(thrownAs(mpsc.SendError, () => p.poll(tx.send("late"))).value).toBe("late");
  });

  it("a burst of sends wakes a waiting receiver once; it is woken again only after it waits again", () => {
    const [tx, rx] = mpsc.channel<number>(8);
    const p = probe();
    expect(rx.pollRecv(p.cx), "rx.pollRecv(p.cx)").toBe(Pending);
    tx.trySend(1);
    tx.trySend(2);
    tx.trySend(3);
    expect(p.stats.wakes, "one wake for the burst").toBe(1);
    expect([rx.pollRecv(p.cx), rx.pollRecv(p.cx), rx.pollRecv(p.cx)]).toEqual([1, 2, 3]);
    tx.trySend(4);
    expect(p.stats.wakes, "the receiver was not waiting: no wake").toBe(1);
    expect(rx.pollRecv(p.cx), "rx.pollRecv(p.cx)").toBe(4);
    expect(rx.pollRecv(p.cx), "rx.pollRecv(p.cx)").toBe(Pending);
    tx.trySend(5);
    expect(p.stats.wakes, "p.stats.wakes").toBe(2);
  });

  it("recv spends one unit of budget when it returns, none when pending", () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const p = probe();
    budget(() => {
      expect(p.poll(rx.recv())).toBe(Pending);
      expect(budgetRemaining(), "budgetRemaining()").toBe(128);
      tx.trySend(1);
      expect(p.stats.wakes, "the send woke the receiver").toBe(1);
      expect(rx.pollRecv(p.cx), "pollRecv is one poll of recv()").toBe(1);
      expect(budgetRemaining(), "budgetRemaining()").toBe(127);
    });
  });

  it("Sender.closed() completes when the receiver closes or is dropped", async () => {
    const order = await onRuntime(function* () {
      const [tx, rx] = mpsc.channel<number>(1);
      const order: string[] = [];
      const watcher = spawn(
        asyncBlock(function* () {
          yield* tx.closed();
          order.push("closed seen");
        }),
      );
      yield* yieldNow();
      order.push(`before close: ${tx.isClosed()}`);
      rx.close();
      yield* watcher;
      return order;
    });
    expect(order).toEqual(["before close: false", "closed seen"]);
  });
  it("reserve: a waiting reserve dropped gives up its place; the receiver closing fails it; completed ones throw if polled again", () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const first = tx.reserve();
    const permit = probe().poll(first);
    expect(permit).not.toBe(Pending);
    expect(() => probe().poll(first), "a completed reserve polled again").toThrow("`Reserve` polled after completion");
    const waiting = tx.reserve();
    expect(probe().poll(waiting)).toBe(Pending);
    waiting[Symbol.dispose]!();
    const next = tx.reserve();
    const p = probe();
    expect(p.poll(next), "p.poll(next)").toBe(Pending);
    (permit as mpsc.Permit<number>)[Symbol.dispose]();
    expect(p.stats.wakes, "the slot went to the reserve behind the dropped one").toBe(1);
    const second = p.poll(next) as mpsc.Permit<number>;
    const blocked = tx.reserve();
    expect(probe().poll(blocked)).toBe(Pending);
    rx.close();
    expect(() => probe().poll(blocked), "the receiver closed while it waited").toThrow(mpsc.SendError);
    second.send(7);
    expect(() => second.send(8), "a consumed permit").toThrow("Permit used after it was consumed by send() or dropped");
    expect(rx.tryRecv(), "rx.tryRecv()").toBe(7);
  });

  it("a waiting recv polled again by the same task makes no vtable call; with the budget spent it returns Pending", () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const { cx, calls } = tracked();
    const r = rx.recv();
    expect(r.poll(cx), "r.poll(cx)").toBe(Pending);
    expect(r.poll(cx), "r.poll(cx)").toBe(Pending);
    expect({ ...calls }, "one clone, kept").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    expect(probe().poll(tx.send(1))).toBeUndefined();
    budget(() => {
      spendBudget();
      expect(probe().poll(rx.recv()), "no budget: Pending although a message waits").toBe(Pending);
    });
    expect(probe().poll(r), "with budget").toBe(1);
    expect(() => probe().poll(r), "a completed recv polled again").toThrow("`Recv` polled after completion");
  });

});

describe("Task 5: Unbounded mpsc, closing and cancel safety", () => {
  it("an unbounded send never waits, and messages arrive in order", () => {
    const [tx, rx] = mpsc.unboundedChannel<number>();
    for (let i = 0; i < 1000; i++) tx.send(i);
    expect(rx.len(), "rx.len()").toBe(1000);
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) got.push(rx.tryRecv());
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(thrownAs(mpsc.TryRecvError, () => rx.tryRecv()).kind).toBe("empty");
  });

  it("close() stops the senders but lets the receiver drain, then ends", () => {
    const [tx, rx] = mpsc.unboundedChannel<string>();
    tx.send("a");
    tx.send("b");
    rx.close();
    expect(rx.isClosed(), "rx.isClosed()").toBe(true);
    const e = thrownAs(mpsc.SendError, () => tx.send("c"));
    expect(e.value, "e.value").toBe("c");
    const p = probe();
    expect(p.poll(rx.recv())).toBe("a");
    expect(p.poll(rx.recv())).toBe("b");
    expect(p.poll(rx.recv()), "closed and drained: the end").toBeUndefined();
    const d = thrownAs(mpsc.TryRecvError, () => rx.tryRecv());
    expect([d.kind, d.message]).toEqual(["disconnected", "receiving on a closed channel"]);
  });

  it("a closed bounded channel ends only when no reserved slot can still send", () => {
    const [tx, rx] = mpsc.channel<string>(2);
    const permit = tx.tryReserve();
    rx.close();
    const p = probe();
    expect(p.poll(rx.recv()), "a permit is still out: it may send").toBe(Pending);
    permit.send("late but reserved");
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(p.poll(rx.recv())).toBe("late but reserved");
    const [tx2, rx2] = mpsc.channel<string>(2);
    const unused = tx2.tryReserve();
    rx2.close();
    const p2 = probe();
    expect(p2.poll(rx2.recv())).toBe(Pending);
    unused[Symbol.dispose]();
    expect(p2.stats.wakes, "the last outstanding permit dropped: the receiver is told").toBe(1);
    expect(p2.poll(rx2.recv())).toBeUndefined();
  });

  it("dropping every sender ends an unbounded channel after its last message; tryRecv says disconnected", () => {
    const [tx, rx] = mpsc.unboundedChannel<number>();
    const tx2 = tx.clone();
    expect(tx.strongCount(), "tx.strongCount()").toBe(2);
    tx.send(1);
    tx[Symbol.dispose]();
    const p = probe();
    expect(p.poll(rx.recv())).toBe(1);
    expect(p.poll(rx.recv()), "one sender is still alive").toBe(Pending);
    tx2[Symbol.dispose]();
    expect(p.stats.wakes, "the last sender's drop wakes the receiver").toBe(1);
    expect(thrownAs(mpsc.TryRecvError, () => rx.tryRecv()).kind).toBe("disconnected");
  });

  it("a sender that is never disposed keeps the channel open", async () => {
    const ended = await onRuntime(
      function* () {
        const [tx, rx] = mpsc.unboundedChannel<number>();
        const leaked = tx.clone();
        tx.send(1);
        tx[Symbol.dispose]();
        const reader = spawn(
          asyncBlock(function* () {
            let n = 0;
            while ((yield* rx.recv()) !== undefined) n++;
            return n;
          }),
        );
        yield* sleep(1000);
        const stillRunning = !reader.isFinished();
        leaked[Symbol.dispose]();
        return { stillRunning, n: yield* reader };
      },
      { time: true },
    );
    expect(ended).toEqual({ stillRunning: true, n: 1 });
  });

  it("recv looks again after storing its waker: a message sent meanwhile (here by the waker's clone) is not missed", () => {
    const [tx, rx] = mpsc.unboundedChannel<string>();
    let clones = 0;
    const vtable: RawWakerVTable = {
      clone: (data) => {
        if (clones++ === 0) tx.send("sent during the registration");
        return new RawWaker(data, vtable);
      },
      wake: () => {},
      wakeByRef: () => {},
      drop: () => {},
    };
    const cx = new Context(Waker.fromRaw(new RawWaker(null, vtable)));
    expect(rx.recv().poll(cx), "the same poll returns the message (nobody would wake a Pending recv)").toBe("sent during the registration");
  });

  it("cancel safe: a recv dropped before it completes loses no message", () => {
    const [tx, rx] = mpsc.channel<string>(4);
    const p = probe();
    const first = rx.recv();
    expect(p.poll(first), "p.poll(first)").toBe(Pending);
    tx.trySend("precious");
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    first[Symbol.dispose]?.();
    expect(rx.len(), "the message stayed in the queue").toBe(1);
    expect(p.poll(rx.recv())).toBe("precious");
  });

  it("not cancel safe: a send dropped while waiting for capacity loses its message and its place", () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend("first");
    const pa = probe();
    const pb = probe();
    const a = tx.send("dropped");
    const b = tx.send("kept");
    expect(pa.poll(a), "pa.poll(a)").toBe(Pending);
    expect(pb.poll(b), "pb.poll(b)").toBe(Pending);
    a[Symbol.dispose]?.();
    expect(pa.stats.refs, "the dropped send let go of its waker").toBe(1);
    expect(rx.tryRecv(), "rx.tryRecv()").toBe("first");
    expect([pa.stats.wakes, pb.stats.wakes], "the slot went to the next in line").toEqual([0, 1]);
    expect(pb.poll(b)).toBeUndefined();
    expect(rx.tryRecv(), "rx.tryRecv()").toBe("kept");
    expect(thrownAs(mpsc.TryRecvError, () => rx.tryRecv()).kind, "the dropped message is gone").toBe("empty");
    expect(tx.capacity(), "tx.capacity()").toBe(1);
  });

  it("a dropped receiver drops the queued messages and frees their slots", () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    tx.trySend(2);
    rx[Symbol.dispose]();
    expect(tx.capacity(), "both slots were given back").toBe(2);
    expect(thrownAs(mpsc.TrySendError, () => tx.trySend(3)).kind).toBe("closed");
  });
  it("handles: sameChannel, the receiver sees the channel closed once every sender is gone, uses after a drop throw", async () => {
    const [tx, rx] = mpsc.unboundedChannel<number>();
    const [other] = mpsc.unboundedChannel<number>();
    const copy = tx.clone();
    expect([tx.sameChannel(copy), tx.sameChannel(other)]).toEqual([true, false]);
    expect(rx.isClosed(), "rx.isClosed()").toBe(false);
    tx[Symbol.dispose]();
    copy[Symbol.dispose]();
    expect(rx.isClosed(), "no sender left").toBe(true);
    expect(() => tx.send(1)).toThrow("Sender used after it was dropped");
    rx[Symbol.dispose]();
    expect(() => rx.tryRecv()).toThrow("Receiver used after it was dropped");
    const [tx2, rx2] = mpsc.channel<number>(1);
    rx2.close();
    expect(probe().poll(tx2.closed()), "closed() on a channel already closed completes at once").toBeUndefined();
    const [tx3] = mpsc.channel<number>(1);
    const waiting = tx3.closed();
    expect(probe().poll(waiting)).toBe(Pending);
    expect(() => waiting[Symbol.dispose]!(), "a waiting closed() can be dropped").not.toThrow();
  });
});
