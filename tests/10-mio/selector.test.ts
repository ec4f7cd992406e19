/**
 * Hidden suite of chapter 10, tasks 2 and 3: the edge-triggered selector behind `Poll` and `Registry`, and the
 * `Waker`. The sources here are `ManualSource`s whose epoll bits the test sets by hand.
 */
import { describe, expect, it, vi } from "vitest";
import { EPOLLERR, EPOLLIN, EPOLLOUT, EPOLLRDHUP, Events, Interest, Poll, Token, Waker } from "#kata/10-mio";
import { ManualSource, ready, seen, settle, thrown } from "../_support/10-mio.ts";

const R = Interest.READABLE;
const W = Interest.WRITABLE;
/** READABLE | WRITABLE, computed when a test runs (so that a broken `add` fails tests, not the file). */
const rw = () => R.add(W);

describe("Task 2: The edge-triggered selector", () => {
  it("register reports what is already ready for the interest, at once, and nothing else", () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const a = new ManualSource();
    a.level = EPOLLOUT;
    const b = new ManualSource();
    b.level = EPOLLOUT;
    const c = new ManualSource();
    poll.registry().register(a, Token(1), W);
    poll.registry().register(b, Token(2), R);
    poll.registry().register(c, Token(3), rw());
    const got = ready(poll, events);
    expect(got.map((e) => e.token), "only a: b is writable but registered for reading, c is not ready").toEqual([1]);
    expect(got[0]!.writable, "got[0].writable").toBe(true);
    expect(ready(poll, events), "reported once").toEqual([]);
  });

  it("a source is reported when a bit rises, not while it stays up; it must fall before it rises again", () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const s = new ManualSource();
    poll.registry().register(s, Token(7), R);
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
    s.set(EPOLLIN);
    expect(ready(poll, events).map((e) => e.token)).toEqual([7]);
    s.set(EPOLLIN);
    expect(ready(poll, events), "still readable: no new edge, no event (a reader that stops early is not told again)").toEqual([]);
    s.set(EPOLLIN | EPOLLRDHUP);
    expect(ready(poll, events).map((e) => [e.token, e.readClosed]), "RDHUP rose").toEqual([[7, true]]);
    s.set(0);
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
    s.set(EPOLLIN);
    expect(ready(poll, events).map((e) => e.token), "fell, then rose: a new edge").toEqual([7]);
  });

  it("an event carries the level at collection time, masked by the interest; a source that fell in between is skipped", () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const s = new ManualSource();
    const t = new ManualSource();
    poll.registry().register(s, Token(1), R);
    poll.registry().register(t, Token(2), rw());
    s.set(EPOLLIN);
    s.set(EPOLLIN | EPOLLOUT | EPOLLERR);
    t.set(EPOLLIN);
    t.set(0);
    const got = ready(poll, events);
    expect(got.length, "t rose and fell before the poll: nothing to report").toBe(1);
    expect(got[0]).toMatchObject({ token: 1, readable: true, writable: false, error: true });
  });

  it("a source is queued once however many bits rose, and at most `capacity` events leave per poll, in order", () => {
    const poll = new Poll();
    const events = Events.withCapacity(2);
    const sources = [1, 2, 3].map((token) => {
      const s = new ManualSource();
      poll.registry().register(s, Token(token), rw());
      return s;
    });
    sources[2]!.set(EPOLLIN);
    sources[0]!.set(EPOLLOUT);
    sources[2]!.set(EPOLLIN | EPOLLOUT);
    sources[1]!.set(EPOLLIN);
    const first = ready(poll, events);
    expect(first.map((e) => e.token), "in the order they became ready; the third waits").toEqual([3, 1]);
    expect(first[0]).toMatchObject({ readable: true, writable: true });
    expect(ready(poll, events).map((e) => e.token)).toEqual([2]);
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
  });

  it("reregister changes token and interest and reports the current level; deregister stops every event", () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const registry = poll.registry();
    const s = new ManualSource();
    registry.register(s, Token(1), R);
    s.set(EPOLLOUT);
    expect(ready(poll, events), "not interested in writable").toEqual([]);
    registry.reregister(s, Token(9), W);
    expect(ready(poll, events).map((e) => e.token), "modify re-checks the level").toEqual([9]);
    s.set(0);
    s.set(EPOLLOUT);
    registry.deregister(s);
    expect(ready(poll, events), "queued, then deregistered: dropped").toEqual([]);
    s.set(0);
    s.set(EPOLLOUT);
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
    expect(s.epitem).toBeNull();
  });

  it("registering twice is AlreadyExists, touching an unregistered source is NotFound, a bad token a RangeError", () => {
    const poll = new Poll();
    const other = new Poll();
    const s = new ManualSource();
    poll.registry().register(s, Token(1), R);
    expect(thrown(() => poll.registry().register(s, Token(2), R))).toMatchObject({ kind: "AlreadyExists", code: "EEXIST" });
    expect(thrown(() => other.registry().reregister(s, Token(1), R)), "registered with another poll").toMatchObject({
      kind: "NotFound",
      code: "ENOENT",
    });
    const loose = new ManualSource();
    expect(thrown(() => poll.registry().deregister(loose))).toMatchObject({ kind: "NotFound" });
    expect(() => poll.registry().register(loose, -3, R)).toThrow(RangeError);
  });

  it("poll with timeout 0 fills the events before it returns; without a timeout it waits for the next edge", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const s = new ManualSource();
    poll.registry().register(s, Token(4), R);
    const p0 = poll.poll(events, 0);
    expect(events.isEmpty(), "nothing ready: an empty, immediate answer").toBe(true);
    await p0;
    let done = false;
    const waiting = poll.poll(events).then(() => (done = true));
    await settle();
    expect(done, "nothing ready: the poll waits").toBe(false);
    expect(() => poll.poll(Events.withCapacity(1)), "one waiter at a time").toThrow(/still waiting/);
    s.set(EPOLLIN);
    await waiting;
    expect(seen(events).map((e) => e.token)).toEqual([4]);
  });

  it("poll with a timeout settles with no events when nothing becomes ready", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    events.push(Token(99), EPOLLIN);
    poll.registry().register(new ManualSource(), Token(1), R);
    await poll.poll(events, 1);
    expect(events.isEmpty(), "the events of an earlier poll are cleared").toBe(true);
    expect(() => poll.poll(events, -1)).toThrow(RangeError);
  });

  it("needsEventLoop counts registered sources fed by Node; close() closes every source and releases a waiting poll", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const node = new ManualSource(true);
    const sim = new ManualSource(false);
    poll.registry().register(sim, Token(1), R);
    expect(poll.needsEventLoop, "poll.needsEventLoop").toBe(false);
    poll.registry().register(node, Token(2), R);
    expect(poll.needsEventLoop, "poll.needsEventLoop").toBe(true);
    poll.registry().deregister(node);
    expect(poll.needsEventLoop, "poll.needsEventLoop").toBe(false);
    poll.registry().register(node, Token(2), R);
    const waiting = poll.poll(events);
    poll.close();
    await waiting;
    expect([node.closed, sim.closed], "each registered source closed once").toEqual([1, 1]);
    expect(poll.needsEventLoop, "poll.needsEventLoop").toBe(false);
  });

  it("a closed Poll refuses new registrations, and its later polls return at once", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    poll.close();
    expect(() => poll.registry().register(new ManualSource(), Token(1), R), "adding to a closed selector throws").toThrow();
    let done = false;
    const p = poll.poll(events).then(() => (done = true));
    await settle();
    expect(done, "a poll of a closed Poll does not wait").toBe(true);
    await p;
  });

  it("deregistering a source not fed by Node leaves the count of Node sources alone", () => {
    const poll = new Poll();
    const node = new ManualSource(true);
    const sim = new ManualSource(false);
    poll.registry().register(node, Token(1), R);
    poll.registry().register(sim, Token(2), R);
    poll.registry().deregister(sim);
    expect(poll.needsEventLoop, "the Node source is still registered").toBe(true);
    poll.registry().deregister(node);
    expect(poll.needsEventLoop, "poll.needsEventLoop").toBe(false);
  });

  it("Node sources that turn ready in the same turn of the event loop are collected by one poll", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const sources = [1, 2, 3].map((token) => {
      const s = new ManualSource(true);
      poll.registry().register(s, Token(token), R);
      return s;
    });
    const waiting = poll.poll(events);
    for (const s of sources) s.set(EPOLLIN);
    await waiting;
    expect(seen(events).map((e) => e.token), "released on the next setImmediate, not by the first source").toEqual([1, 2, 3]);
    let done = false;
    const next = poll.poll(events).then(() => (done = true));
    await settle();
    await settle();
    expect(done, "nothing is ready: the next poll waits (no release left scheduled by the last one)").toBe(false);
    sources[0]!.set(0);
    sources[0]!.set(EPOLLIN);
    await next;
    expect(seen(events).map((e) => e.token)).toEqual([1]);
  });

  it("a released poll leaves no timer and no immediate behind", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate"] });
    try {
      const poll = new Poll();
      const events = Events.withCapacity(8);
      const sim = new ManualSource(false);
      const node = new ManualSource(true);
      poll.registry().register(sim, Token(1), R);
      poll.registry().register(node, Token(2), R);
      const first = poll.poll(events, 1000);
      expect(vi.getTimerCount(), "a poll with a timeout arms one timer").toBe(1);
      sim.set(EPOLLIN);
      await first;
      expect(seen(events).map((e) => e.token)).toEqual([1]);
      expect(vi.getTimerCount(), "released by a source: the timeout timer is cleared").toBe(0);
      const second = poll.poll(events);
      node.set(EPOLLIN);
      expect(vi.getTimerCount(), "a Node source schedules its release on setImmediate").toBe(1);
      sim.set(0);
      sim.set(EPOLLIN);
      await second;
      expect(seen(events).map((e) => e.token).sort()).toEqual([1, 2]);
      expect(vi.getTimerCount(), "released at once by the other source: the immediate is cleared").toBe(0);
      poll.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("Task 3: The waker", () => {
  it("wake() ends a waiting poll with an event carrying the waker's token", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const waker = new Waker(poll.registry(), Token(0));
    poll.registry().register(new ManualSource(), Token(1), R);
    const waiting = poll.poll(events);
    setTimeout(() => waker.wake(), 1);
    await waiting;
    expect(seen(events), "seen(events)").toEqual([{ token: 0, readable: true, writable: false, readClosed: false, writeClosed: false, error: false }]);
  });

  it("wakes before a poll make it return at once; many wakes make one event, and the next wake another", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const waker = new Waker(poll.registry(), Token(5));
    waker.wake();
    waker.wake();
    waker.wake();
    await poll.poll(events);
    expect(seen(events).map((e) => e.token), "one event for three wakes").toEqual([5]);
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
    waker.wake();
    expect(ready(poll, events).map((e) => e.token), "the waker resets once reported").toEqual([5]);
  });

  it("only one Waker per Poll", () => {
    const poll = new Poll();
    new Waker(poll.registry(), Token(0));
    expect(() => new Waker(poll.registry(), Token(1))).toThrow("Only a single `Waker` can be active per `Poll` instance");
    expect(() => new Waker(poll.registry().tryClone(), Token(1)), "a cloned registry is the same selector").toThrow(
      "Only a single `Waker` can be active per `Poll` instance",
    );
    expect(() => new Waker(new Poll().registry(), Token(0)), "another Poll may have its own").not.toThrow();
  });

  it("a wake between two polls is not lost, and wakes mix with other events", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const waker = new Waker(poll.registry(), Token(0));
    const s = new ManualSource();
    poll.registry().register(s, Token(3), R);
    s.set(EPOLLIN);
    waker.wake();
    await poll.poll(events);
    expect(seen(events).map((e) => e.token)).toEqual([3, 0]);
  });
  it("a new Waker is not ready before its first wake; after Poll.close() a wake reports nothing", async () => {
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const waker = new Waker(poll.registry(), Token(6));
    expect(ready(poll, events), "no wake yet: no event").toEqual([]);
    poll.close();
    waker.wake();
    await poll.poll(events, 0);
    expect(seen(events), "the waker's source was closed with the Poll").toEqual([]);
  });
  it("the waker's source is not fed by Node's event loop: a Poll holding only a waker does not need it", () => {
    const poll = new Poll();
    new Waker(poll.registry(), Token(0));
    expect(poll.needsEventLoop, "needsEventLoop counts only sources fed by Node").toBe(false);
    poll.close();
  });
});
