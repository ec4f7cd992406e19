/**
 * Hidden suite of chapter 11, task 1: readiness, the tick, and the waker slots of `ScheduledIo`.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDHUP, Events, Interest, Token } from "#kata/10-mio";
import { READ, Ready, ReadyEvent, ScheduledIo, WRITE, directionMask } from "#kata/11-io-driver";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";

const { READABLE, WRITABLE, READ_CLOSED, WRITE_CLOSED, ERROR } = Ready;

describe("Task 1: ScheduledIo: readiness and the tick", () => {
  it("Ready.fromMio turns an event into readiness; a direction proceeds on its bit or on its closed bit", () => {
    const events = Events.withCapacity(4);
    events.push(Token(1), EPOLLIN | EPOLLRDHUP);
    events.push(Token(2), EPOLLOUT | EPOLLERR);
    events.push(Token(3), EPOLLHUP);
    events.push(Token(4), EPOLLIN | EPOLLOUT);
    expect(Ready.fromMio(events.get(0)!)).toBe(READABLE | READ_CLOSED);
    expect(Ready.fromMio(events.get(1)!)).toBe(WRITABLE | WRITE_CLOSED | ERROR);
    expect(Ready.fromMio(events.get(2)!)).toBe(READ_CLOSED | WRITE_CLOSED);
    expect(Ready.fromMio(events.get(3)!)).toBe(READABLE | WRITABLE);
    expect(Ready.isReadable(READ_CLOSED), "a closed reading half reads (the end of the stream)").toBe(true);
    expect(Ready.isWritable(WRITE_CLOSED), "Ready.isWritable(WRITE_CLOSED)").toBe(true);
    expect(Ready.isReadable(WRITABLE | ERROR), "Ready.isReadable(WRITABLE | ERROR)").toBe(false);
    expect(Ready.isWritable(READABLE), "Ready.isWritable(READABLE)").toBe(false);
    expect(Ready.isError(ERROR) && Ready.isReadClosed(READ_CLOSED) && Ready.isWriteClosed(WRITE_CLOSED)).toBe(true);
    expect(directionMask(READ), "directionMask(READ)").toBe(READABLE | READ_CLOSED);
    expect(directionMask(WRITE), "directionMask(WRITE)").toBe(WRITABLE | WRITE_CLOSED);
  });

  it("setReadiness ORs the bits in and moves the tick one step per event, modulo 2^15", () => {
    const io = new ScheduledIo(1);
    expect([io.ready(), io.tick()]).toEqual([0, 0]);
    io.setReadiness(READABLE);
    expect([io.ready(), io.tick()]).toEqual([READABLE, 1]);
    io.setReadiness(WRITABLE);
    expect([io.ready(), io.tick()]).toEqual([READABLE | WRITABLE, 2]);
    for (let i = 2; i < 32768; i++) io.setReadiness(0);
    expect(io.tick(), "2^15 events later the tick wraps to 0").toBe(0);
    expect(io.ready(), "io.ready()").toBe(READABLE | WRITABLE);
    expect(io.isShutdown(), "io.isShutdown()").toBe(false);
    io.setReadiness(0);
    expect(io.tick(), "io.tick()").toBe(1);
  });

  it("clearReadiness with the tick it saw removes what the event saw, but never the closed bits", () => {
    const io = new ScheduledIo(1);
    const p = probe();
    io.setReadiness(READABLE | READ_CLOSED | WRITABLE);
    const ev = io.pollReadiness(p.cx, READ);
    expect(ev).not.toBe(Pending);
    expect(ReadyEvent.ready(ev as number), "ReadyEvent.ready(ev)").toBe(READABLE | READ_CLOSED);
    expect(ReadyEvent.tick(ev as number), "ReadyEvent.tick(ev)").toBe(1);
    io.clearReadiness(ev as number);
    expect(io.ready(), "READABLE cleared; READ_CLOSED is final; WRITABLE was not seen").toBe(READ_CLOSED | WRITABLE);
    expect(io.tick(), "a clear does not move the tick").toBe(1);
  });

  it("the lost wake-up: a clear with a stale tick keeps the readiness a newer event brought", () => {
    const io = new ScheduledIo(1);
    const p = probe();
    io.setReadiness(READABLE);
    const seenBeforeRead = io.pollReadiness(p.cx, READ) as number;
    // The task reads until WouldBlock; meanwhile new data arrives and the driver sets readiness again.
    io.setReadiness(READABLE);
    io.clearReadiness(seenBeforeRead);
    expect(io.ready(), "the new event survives the stale clear").toBe(READABLE);
    const again = io.pollReadiness(p.cx, READ);
    expect(again, "the task reads again instead of sleeping").not.toBe(Pending);
    expect(ReadyEvent.tick(again as number), "ReadyEvent.tick(again)").toBe(2);
    expect(p.stats.refs, "no waker stored: nothing to wait for").toBe(1);
    // What a blind clear would have done: erase the new event, and nobody would report it again.
    io.clearReadiness(ReadyEvent.of(io.tick(), READABLE, false));
    expect(io.pollReadiness(p.cx, READ), "io.pollReadiness(p.cx, READ)").toBe(Pending);
  });

  it("a ReadyEvent packs tick (8 bits), readiness and shutdown; the clear compares 8 bits as Tokio's `tick as u8`", () => {
    const ev = ReadyEvent.of(300, READABLE | ERROR, true);
    expect([ReadyEvent.tick(ev), ReadyEvent.ready(ev), ReadyEvent.isShutdown(ev)]).toEqual([300 & 0xff, READABLE | ERROR, true]);
    expect(ReadyEvent.isShutdown(ReadyEvent.of(5, 0, false))).toBe(false);
    const io = new ScheduledIo(1);
    for (let i = 0; i < 300; i++) io.setReadiness(READABLE);
    const p = probe();
    const seenNow = io.pollReadiness(p.cx, READ) as number;
    expect(io.tick(), "io.tick()").toBe(300);
    expect(ReadyEvent.tick(seenNow), "ReadyEvent.tick(seenNow)").toBe(44);
    io.clearReadiness(seenNow);
    expect(io.ready(), "io.ready()").toBe(0);
    io.setReadiness(READABLE);
    io.clearReadiness(ReadyEvent.of(300 - 256, READABLE, false));
    expect(io.ready(), "tick 301 vs 44: different").toBe(READABLE);
  });

  it("pollReadiness stores the task's waker by direction; wake wakes the slots the readiness satisfies, once", () => {
    const io = new ScheduledIo(1);
    const reader = probe();
    const writer = probe();
    expect(io.pollReadiness(reader.cx, READ), "io.pollReadiness(reader.cx, READ)").toBe(Pending);
    expect(io.pollReadiness(writer.cx, WRITE), "io.pollReadiness(writer.cx, WRITE)").toBe(Pending);
    io.wake(WRITABLE);
    expect([reader.stats.wakes, writer.stats.wakes]).toEqual([0, 1]);
    io.wake(READ_CLOSED);
    expect([reader.stats.wakes, writer.stats.wakes], "a closed reading half wakes the reader").toEqual([1, 1]);
    io.wake(Ready.ALL);
    expect([reader.stats.wakes, writer.stats.wakes], "the slots were emptied").toEqual([1, 1]);
    expect([reader.stats.refs, writer.stats.refs], "each stored clone was consumed by its wake").toEqual([1, 1]);
  });

  it("the same task polling again keeps its stored waker; another task's replaces it and the old one is dropped", () => {
    const io = new ScheduledIo(1);
    const a = probe();
    const b = probe();
    io.pollReadiness(a.cx, READ);
    io.pollReadiness(a.cx, READ);
    expect(a.stats.refs, "one clone stored, not two").toBe(2);
    io.pollReadiness(b.cx, READ);
    expect([a.stats.refs, b.stats.refs]).toEqual([1, 2]);
    io.wake(READABLE);
    expect([a.stats.wakes, b.stats.wakes], "the last poller wins").toEqual([0, 1]);
    io.pollReadiness(a.cx, WRITE);
    io.clearWakers();
    expect(a.stats.refs, "clearWakers drops what is stored").toBe(1);
    io.wake(Ready.ALL);
    expect(a.stats.wakes, "a.stats.wakes").toBe(0);
  });

  it("shutdown is final: it wakes everyone, and every poll then reports it with the whole direction", () => {
    const io = new ScheduledIo(1);
    const reader = probe();
    const writer = probe();
    io.pollReadiness(reader.cx, READ);
    io.pollReadiness(writer.cx, WRITE);
    io.shutdown();
    expect([reader.stats.wakes, writer.stats.wakes]).toEqual([1, 1]);
    expect(io.isShutdown(), "io.isShutdown()").toBe(true);
    const ev = io.pollReadiness(reader.cx, READ);
    expect(ev).not.toBe(Pending);
    expect(ReadyEvent.isShutdown(ev as number), "ReadyEvent.isShutdown(ev)").toBe(true);
    expect(ReadyEvent.ready(ev as number), "ReadyEvent.ready(ev)").toBe(READABLE | READ_CLOSED);
    io.setReadiness(0);
    expect(io.isShutdown(), "events do not undo it").toBe(true);
  });

  it("readyEvent(interest) reads the readiness for an interest, storing nothing", () => {
    const io = new ScheduledIo(1);
    io.setReadiness(READABLE | WRITABLE | WRITE_CLOSED);
    const r = io.readyEvent(Interest.READABLE);
    expect([ReadyEvent.ready(r), ReadyEvent.tick(r), ReadyEvent.isShutdown(r)]).toEqual([READABLE, 1, false]);
    expect(ReadyEvent.ready(io.readyEvent(Interest.WRITABLE))).toBe(WRITABLE | WRITE_CLOSED);
    expect(ReadyEvent.ready(io.readyEvent(Interest.READABLE.add(Interest.WRITABLE)))).toBe(READABLE | WRITABLE | WRITE_CLOSED);
  });
  it("wake(READABLE) wakes only the reader: the writer's waker stays stored for a write event", () => {
    const io = new ScheduledIo(1);
    const reader = probe();
    const writer = probe();
    io.pollReadiness(reader.cx, READ);
    io.pollReadiness(writer.cx, WRITE);
    io.wake(READABLE);
    expect([reader.stats.wakes, writer.stats.wakes], "a read event does not wake the writer").toEqual([1, 0]);
    expect(writer.stats.refs, "the writer's clone is still stored").toBe(2);
    io.wake(WRITABLE);
    expect([reader.stats.wakes, writer.stats.wakes]).toEqual([1, 1]);
  });

  it("re-polling with the same task's waker makes no vtable call: no clone-and-drop churn", () => {
    const io = new ScheduledIo(1);
    const t = tracked();
    expect(io.pollReadiness(t.cx, READ), "io.pollReadiness(t.cx, READ)").toBe(Pending);
    expect(t.calls, "the first pending poll stores one clone").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    for (let i = 0; i < 3; i++) expect(io.pollReadiness(t.cx, READ), "io.pollReadiness(t.cx, READ)").toBe(Pending);
    expect(t.calls, "the stored waker would wake the same task: kept, nothing cloned or dropped").toEqual({
      clone: 1,
      wake: 0,
      wakeByRef: 0,
      drop: 0,
    });
  });

  it("readyEvent after shutdown carries the shutdown flag", () => {
    const io = new ScheduledIo(1);
    io.setReadiness(READABLE);
    expect(ReadyEvent.isShutdown(io.readyEvent(Interest.READABLE))).toBe(false);
    io.shutdown();
    const ev = io.readyEvent(Interest.READABLE);
    expect(ReadyEvent.isShutdown(ev), "readyEvent reports the shutdown as pollReadiness does").toBe(true);
    expect([ReadyEvent.ready(ev), ReadyEvent.tick(ev)]).toEqual([READABLE, 1]);
  });
});
