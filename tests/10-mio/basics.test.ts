/**
 * Hidden suite of chapter 10, task 1: tokens, interests, the epoll mask of an interest, events and their buffer.
 */
import { describe, expect, it } from "vitest";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDHUP, Events, Interest, Token, interestMask } from "#kata/10-mio";

const flags = (events: Events, i: number) => {
  const e = events.get(i)!;
  return {
    readable: e.isReadable(),
    writable: e.isWritable(),
    readClosed: e.isReadClosed(),
    writeClosed: e.isWriteClosed(),
    error: e.isError(),
  };
};

describe("Task 1: Tokens, interests and events", () => {
  it("Token keeps non-negative integers and rejects anything else with a RangeError", () => {
    expect(Token(0), "Token(0)").toBe(0);
    expect(Token(7), "Token(7)").toBe(7);
    expect(Token(Number.MAX_SAFE_INTEGER), "Token(Number.MAX_SAFE_INTEGER)").toBe(Number.MAX_SAFE_INTEGER);
    expect(() => Token(-1)).toThrow(RangeError);
    expect(() => Token(1.5)).toThrow(RangeError);
    expect(() => Token(Number.NaN)).toThrow(RangeError);
  });

  it("Interest: add is the union, the same object for the same set, and the predicates follow the bits", () => {
    const both = Interest.READABLE.add(Interest.WRITABLE);
    expect(both, "combining twice gives the same canonical object").toBe(Interest.WRITABLE.add(Interest.READABLE));
    expect(both.isReadable() && both.isWritable()).toBe(true);
    expect(Interest.READABLE.isWritable(), "Interest.READABLE.isWritable()").toBe(false);
    expect(Interest.WRITABLE.isReadable(), "Interest.WRITABLE.isReadable()").toBe(false);
    expect(Interest.READABLE.add(Interest.READABLE), "Interest.READABLE.add(Interest.READABLE)").toBe(Interest.READABLE);
    expect(both.bits, "both.bits").toBe(0b11);
    expect(String(both), "String(both)").toBe("READABLE | WRITABLE");
    expect(String(Interest.WRITABLE), "String(Interest.WRITABLE)").toBe("WRITABLE");
  });

  it("Interest.remove leaves the rest, and undefined rather than an empty interest", () => {
    const both = Interest.READABLE.add(Interest.WRITABLE);
    expect(both.remove(Interest.READABLE), "both.remove(Interest.READABLE)").toBe(Interest.WRITABLE);
    expect(both.remove(Interest.WRITABLE), "both.remove(Interest.WRITABLE)").toBe(Interest.READABLE);
    expect(Interest.READABLE.remove(Interest.READABLE), "never empty: None").toBeUndefined();
    expect(both.remove(both)).toBeUndefined();
    expect(Interest.READABLE.remove(Interest.WRITABLE), "Interest.READABLE.remove(Interest.WRITABLE)").toBe(Interest.READABLE);
  });

  it("interestMask asks for what mio's interests_to_epoll asks for; errors and hang-ups always", () => {
    expect(interestMask(Interest.READABLE), "interestMask(Interest.READABLE)").toBe(EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP);
    expect(interestMask(Interest.WRITABLE), "interestMask(Interest.WRITABLE)").toBe(EPOLLOUT | EPOLLERR | EPOLLHUP);
    expect(interestMask(Interest.READABLE.add(Interest.WRITABLE))).toBe(
      EPOLLIN | EPOLLRDHUP | EPOLLOUT | EPOLLERR | EPOLLHUP,
    );
  });

  it("an Event decodes epoll bits as mio does on Linux", () => {
    const events = Events.withCapacity(8);
    events.push(Token(1), EPOLLIN);
    events.push(Token(2), EPOLLOUT);
    events.push(Token(3), EPOLLIN | EPOLLRDHUP);
    events.push(Token(4), EPOLLRDHUP);
    events.push(Token(5), EPOLLHUP);
    events.push(Token(6), EPOLLOUT | EPOLLERR);
    events.push(Token(7), EPOLLERR);
    events.push(Token(8), EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDHUP);
    const none = { readable: false, writable: false, readClosed: false, writeClosed: false, error: false };
    expect(events.get(0)!.token()).toBe(1);
    expect(flags(events, 0), "flags(events, 0)").toEqual({ ...none, readable: true });
    expect(flags(events, 1), "flags(events, 1)").toEqual({ ...none, writable: true });
    expect(flags(events, 2), "IN with RDHUP: the peer closed its writing half").toEqual({ ...none, readable: true, readClosed: true });
    expect(flags(events, 3), "RDHUP alone is not read closed").toEqual(none);
    expect(flags(events, 4), "HUP closes both directions").toEqual({ ...none, readClosed: true, writeClosed: true });
    expect(flags(events, 5), "OUT with ERR: write closed").toEqual({ ...none, writable: true, writeClosed: true, error: true });
    expect(flags(events, 6), "ERR alone: write closed").toEqual({ ...none, writeClosed: true, error: true });
    expect(flags(events, 7), "flags(events, 7)").toEqual({ readable: true, writable: true, readClosed: true, writeClosed: true, error: true });
    expect(String(events.get(2))).toBe("Event(token 3: readable, read closed)");
  });

  it("Events holds at most its capacity, refills the same Event objects, and iterates what the last poll put in", () => {
    expect(() => Events.withCapacity(0)).toThrow(RangeError);
    const events = Events.withCapacity(2);
    expect(events.capacity(), "events.capacity()").toBe(2);
    expect(events.isEmpty(), "events.isEmpty()").toBe(true);
    expect(events.push(Token(10), EPOLLIN)).toBe(true);
    const first = events.get(0);
    expect(events.push(Token(11), EPOLLOUT)).toBe(true);
    expect(events.isFull(), "events.isFull()").toBe(true);
    expect(events.push(Token(12), EPOLLIN), "a full buffer refuses").toBe(false);
    expect(events.length, "events.length").toBe(2);
    expect([...events].map((e) => e.token())).toEqual([10, 11]);
    expect([...events.iter()].map((e) => e.token())).toEqual([10, 11]);
    expect(events.get(2)).toBeUndefined();
    events.clear();
    expect(events.isEmpty(), "events.isEmpty()").toBe(true);
    expect([...events], "[...events]").toEqual([]);
    events.push(Token(20), EPOLLOUT);
    expect(events.get(0), "no allocation per poll: the slot is reused").toBe(first);
    expect(events.get(0)!.token()).toBe(20);
    expect(events.get(0)!.isWritable()).toBe(true);
  });
  it("ERR with IN is not write closed; toString lists every flag that holds, in order", () => {
    const events = Events.withCapacity(2);
    events.push(Token(4), EPOLLIN | EPOLLERR);
    events.push(Token(8), EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP);
    expect(events.get(0)!.isWriteClosed(), "IN | ERR: write closed needs HUP, OUT with ERR, or ERR alone").toBe(false);
    expect(events.get(0)!.isError()).toBe(true);
    expect(String(events.get(0))).toBe("Event(token 4: readable, error)");
    expect(String(events.get(1))).toBe("Event(token 8: readable, writable, read closed, write closed, error)");
    expect(String(Interest.READABLE), "String(Interest.READABLE)").toBe("READABLE");
  });

  it("get(i) is undefined outside [0, length), even where an older poll left an Event in the slot", () => {
    const events = Events.withCapacity(4);
    events.push(Token(1), EPOLLIN);
    events.push(Token(2), EPOLLIN);
    events.push(Token(3), EPOLLIN);
    expect(events.get(-1), "a negative index").toBeUndefined();
    events.clear();
    expect(events.get(0), "after clear() nothing is there, though the slot is kept").toBeUndefined();
    events.push(Token(4), EPOLLOUT);
    expect(events.get(0)!.token()).toBe(4);
    expect(events.get(1), "index length: the slot holds token 2 of the last poll, which is gone").toBeUndefined();
    expect(events.get(2)).toBeUndefined();
    expect([...events].map((e) => e.token())).toEqual([4]);
  });
});
