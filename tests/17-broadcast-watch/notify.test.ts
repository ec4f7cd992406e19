/**
 * Task 1: Notify.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { budget, budgetRemaining } from "#kata/14-blocking";
import { Notify } from "#kata/17-broadcast-watch";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";

describe("Task 1: Notify", () => {
  it("notifyOne with nobody waiting stores one permit: the next notified() completes at once, the one after waits", () => {
    const n = new Notify();
    n.notifyOne();
    n.notifyOne();
    n.notifyOne();
    const p = probe();
    expect(p.poll(n.notified()), "the stored permit").toBeUndefined();
    expect(p.poll(n.notified()), "many notifyOne calls stored only one").toBe(Pending);
  });

  it("notifyOne wakes the oldest waiter, notifyLast the newest", () => {
    const n = new Notify();
    const ps = [probe(), probe(), probe()];
    const fs = ps.map(() => n.notified());
    fs.forEach((f, i) => expect(ps[i]!.poll(f), "ps[i].poll(f)").toBe(Pending));
    n.notifyOne();
    expect(ps.map((p) => p.stats.wakes)).toEqual([1, 0, 0]);
    n.notifyLast();
    expect(ps.map((p) => p.stats.wakes)).toEqual([1, 0, 1]);
    expect(ps[0]!.poll(fs[0]!)).toBeUndefined();
    expect(ps[1]!.poll(fs[1]!), "the middle one was not notified").toBe(Pending);
    expect(ps[2]!.poll(fs[2]!)).toBeUndefined();
  });

  it("notifyWaiters wakes everyone waiting and stores no permit", () => {
    const n = new Notify();
    const ps = [probe(), probe()];
    const fs = ps.map(() => n.notified());
    fs.forEach((f, i) => expect(ps[i]!.poll(f), "ps[i].poll(f)").toBe(Pending));
    n.notifyWaiters();
    expect(ps.map((p) => p.stats.wakes)).toEqual([1, 1]);
    fs.forEach((f, i) => expect(ps[i]!.poll(f)).toBeUndefined());
    expect(probe().poll(n.notified()), "no permit was left behind").toBe(Pending);
  });

  it("notifyWaiters with nobody waiting leaves nothing behind: a notified() created after it waits", () => {
    const n = new Notify();
    n.notifyWaiters();
    n.notifyWaiters();
    const p = probe();
    expect(p.poll(n.notified()), "notifyWaiters stores no permit, even when nobody waits").toBe(Pending);
    expect(p.stats.wakes, "p.stats.wakes").toBe(0);
  });

  it("a Notified takes its snapshot when created: notifyWaiters before its first poll still counts", () => {
    const n = new Notify();
    const early = n.notified();
    n.notifyWaiters();
    const late = n.notified();
    const p = probe();
    expect(p.poll(early), "created before the call: notified").toBeUndefined();
    expect(p.poll(late), "created after it: waits for the next").toBe(Pending);
  });

  it("a first poll that finds a notifyWaiters since its snapshot completes on it, and leaves a stored permit alone", () => {
    // Tokio's poll_notified looks at the notifyWaiters counter first, then tries the permit: the two orders differ
    // only here.
    const n = new Notify();
    const early = n.notified();
    n.notifyOne();
    n.notifyWaiters();
    const p = probe();
    expect(p.poll(early), "notified").toBeUndefined();
    expect(p.poll(n.notified()), "the permit is still stored, so the next notified() completes at once").toBeUndefined();
    expect(p.poll(n.notified()), "and the one after waits").toBe(Pending);
  });

  it("a dropped Notified that had been chosen by notifyOne passes the notification on", () => {
    const n = new Notify();
    const pa = probe();
    const pb = probe();
    const a = n.notified();
    const b = n.notified();
    expect(pa.poll(a), "pa.poll(a)").toBe(Pending);
    expect(pb.poll(b), "pb.poll(b)").toBe(Pending);
    n.notifyOne();
    expect([pa.stats.wakes, pb.stats.wakes]).toEqual([1, 0]);
    a[Symbol.dispose]();
    expect(pb.stats.wakes, "handed to the next waiter").toBe(1);
    expect(pb.poll(b)).toBeUndefined();
    const c = n.notified();
    expect(probe().poll(c)).toBe(Pending);
    n.notifyOne();
    c[Symbol.dispose]();
    expect(probe().poll(n.notified()), "no waiter left: it became the stored permit").toBeUndefined();
  });

  it("a Notified dropped after notifyWaiters woke it passes nothing on: that call was for those waiting then", () => {
    const n = new Notify();
    const a = n.notified();
    expect(probe().poll(a), "probe().poll(a)").toBe(Pending);
    n.notifyWaiters();
    const pb = probe();
    const b = n.notified();
    expect(pb.poll(b), "b came after the call").toBe(Pending);
    a[Symbol.dispose]();
    expect(pb.stats.wakes, "nothing handed on to b").toBe(0);
    expect(pb.poll(b), "pb.poll(b)").toBe(Pending);
    b[Symbol.dispose]();
    expect(probe().poll(n.notified()), "nor stored as a permit").toBe(Pending);
  });

  it("enable() puts a Notified in line before its first poll", () => {
    const n = new Notify();
    const f = n.notified();
    expect(f.enable(), "f.enable()").toBe(false);
    n.notifyOne();
    expect(probe().poll(f), "it was in line, so the notification went to it").toBeUndefined();
    n.notifyOne();
    expect(n.notified().enable(), "a stored permit: enable() says it is ready").toBe(true);
    const g = n.notified();
    expect(g.enable(), "g.enable()").toBe(false);
    expect(g.enable(), "enabled again while it waits: still waiting, and no waker to keep").toBe(false);
    const p = probe();
    expect(p.poll(g), "its first poll after enable() stores the waker").toBe(Pending);
    n.notifyOne();
    expect(p.stats.wakes, "the waker of that poll is woken").toBe(1);
    expect(p.poll(g), "p.poll(g)").toBeUndefined();
  });

  it("a dropped waiter that was never notified just leaves; notified futures spend no budget", () => {
    const n = new Notify();
    const p = probe();
    const a = n.notified();
    expect(p.poll(a), "p.poll(a)").toBe(Pending);
    a[Symbol.dispose]();
    expect(p.stats.refs, "its waker was dropped").toBe(1);
    n.notifyOne();
    expect(p.stats.wakes, "it was not in line any more").toBe(0);
    budget(() => {
      expect(p.poll(n.notified()), "the permit").toBeUndefined();
      expect(budgetRemaining(), "Notify does not spend the budget").toBe(128);
    });
  });

  it("a waiting Notified clones the waker only when the stored one would not wake the same task", () => {
    const n = new Notify();
    const p1 = probe();
    const p2 = probe();
    const f = n.notified();
    expect(p1.poll(f), "p1.poll(f)").toBe(Pending);
    expect(p1.poll(f), "p1.poll(f)").toBe(Pending);
    expect(p1.stats.refs, "p1.stats.refs").toBe(2);
    expect(p2.poll(f), "p2.poll(f)").toBe(Pending);
    expect([p1.stats.refs, p2.stats.refs]).toEqual([1, 2]);
    n.notifyOne();
    expect([p1.stats.wakes, p2.stats.wakes]).toEqual([0, 1]);
  });
  it("a waiting Notified polled again by the same task makes no vtable call", () => {
    const n = new Notify();
    const { cx, calls } = tracked();
    const f = n.notified();
    expect(f.poll(cx), "f.poll(cx)").toBe(Pending);
    expect(f.poll(cx), "f.poll(cx)").toBe(Pending);
    expect({ ...calls }, "{ ...calls }").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
  });

  it("notifyWaiters leaves a stored permit alone, and wakes an enabled Notified that has no waker yet", () => {
    const n = new Notify();
    n.notifyOne();
    n.notifyWaiters();
    expect(probe().poll(n.notified()), "the notifyOne permit survived notifyWaiters").toBeUndefined();
    const early = n.notified();
    early.enable();
    expect(() => n.notifyWaiters(), "a waiter with no waker is notified without a wake").not.toThrow();
    expect(probe().poll(early)).toBeUndefined();
  });

  it("a dropped Notified that had been chosen by notifyLast passes it on, to the newest waiter left", () => {
    const n = new Notify();
    const ps = [probe(), probe(), probe()];
    const fs = ps.map(() => n.notified());
    fs.forEach((f, i) => expect(ps[i]!.poll(f), "ps[i].poll(f)").toBe(Pending));
    n.notifyLast();
    fs[2]![Symbol.dispose]!();
    expect(ps.map((p) => p.stats.wakes), "the notification went to the newest one still waiting").toEqual([0, 1, 1]);
    expect(ps[1]!.poll(fs[1]!)).toBeUndefined();
    expect(ps[0]!.poll(fs[0]!), "ps[0].poll(fs[0])").toBe(Pending);
  });
});
