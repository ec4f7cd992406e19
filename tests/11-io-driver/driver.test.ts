/**
 * Hidden suite of chapter 11, tasks 2 and 3: the driver (tokens, wait and turn, releases, shutdown) and
 * `PollEvented` (try, clear on WouldBlock, the tick guard in action, the budget), driven by hand over the
 * simulated network.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { Interest, NodeNetwork, SimNetwork, WouldBlock, type Registry, type TcpStream as MioStream, type Token } from "#kata/10-mio";
import { budget, budgetRemaining } from "#kata/14-blocking";
import {
  IoDriver,
  NOTIFY_AFTER,
  PollEvented,
  RUNTIME_SHUTTING_DOWN_ERROR,
  Ready,
  Registration,
  RegistrationSet,
  TOKEN_WAKEUP,
  type IoSource,
} from "#kata/11-io-driver";
import { bytes, connectedPair, isRegistered, settle, text } from "../_support/10-mio.ts";
import { probe } from "../_support/poll.ts";

const R = Interest.READABLE;
const W = Interest.WRITABLE;
const RW = R.add(W);

function simDriver(bufferSize?: number) {
  const net = new SimNetwork(bufferSize === undefined ? {} : { bufferSize });
  const driver = new IoDriver({ network: net });
  return { net, driver, handle: driver.handle };
}

/** A mio stream wrapper that counts reads and may run `onWouldBlock` inside a read that would block. */
class Wrapped implements IoSource {
  reads = 0;
  writes = 0;
  /** When set, every write accepts nothing (returns 0), as a writer that can take no more. */
  writeZero = false;
  onWouldBlock: (() => void) | null = null;

  constructor(readonly inner: MioStream) {}

  register(registry: Registry, token: Token, interests: Interest): void {
    this.inner.register(registry, token, interests);
  }

  reregister(registry: Registry, token: Token, interests: Interest): void {
    this.inner.reregister(registry, token, interests);
  }

  deregister(registry: Registry): void {
    this.inner.deregister(registry);
  }

  read(buf: Uint8Array): number | WouldBlock {
    this.reads++;
    const n = this.inner.read(buf);
    if (n === WouldBlock && this.onWouldBlock !== null) {
      const f = this.onWouldBlock;
      this.onWouldBlock = null;
      f();
    }
    return n;
  }

  write(buf: Uint8Array): number | WouldBlock {
    this.writes++;
    return this.writeZero ? 0 : this.inner.write(buf);
  }

  close(): void {
    this.inner.close();
  }
}

describe("Task 2: Registrations and the driver", () => {
  it("sources get tokens from 1; turn() sets the readiness of the ScheduledIo behind each token and wakes it", () => {
    const { net, driver, handle } = simDriver();
    expect(TOKEN_WAKEUP).toBe(0);
    const listener = net.bind("10.0.0.1:80");
    const lio = handle.addSource(listener, R);
    const client = net.connect("10.0.0.1:80");
    const cio = handle.addSource(client, RW);
    expect([lio.token, cio.token]).toEqual([1, 2]);
    expect(handle.registrations.get(2), "handle.registrations.get(2)").toBe(cio);
    const p = probe();
    expect(cio.pollReadiness(p.cx, 1), "nothing until the driver turns").toBe(Pending);
    driver.turn();
    expect(cio.ready() & Ready.WRITABLE, "cio.ready() & Ready.WRITABLE").toBe(Ready.WRITABLE);
    expect(cio.tick(), "cio.tick()").toBe(1);
    expect(lio.ready(), "the listener has a connection to accept").toBe(Ready.READABLE);
    expect(p.stats.wakes, "the writer was woken").toBe(1);
    expect(handle.metrics).toMatchObject({ fdCount: 2, readyCount: 2 });
    driver.shutdown();
  });

  it("wait() waits on the selector and keeps what it collected for turn(); unpark ends a wait without an event", async () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const sio = handle.addSource(server, R);
    driver.turn();
    let done = false;
    const waiting = driver.wait().then(() => (done = true));
    await settle();
    expect(done, "nothing ready: wait waits").toBe(false);
    client.write(bytes("hi"));
    await waiting;
    expect(sio.ready(), "wait processes nothing").toBe(0);
    driver.turn();
    expect(sio.ready(), "sio.ready()").toBe(Ready.READABLE);
    const count = handle.metrics.readyCount;
    const unparked = driver.wait();
    driver.unpark();
    await unparked;
    driver.turn();
    expect(handle.metrics.readyCount, "the waker's event (token 0) is not dispatched").toBe(count);
    await driver.wait(0);
    driver.shutdown();
  });

  it("a deregistered ScheduledIo keeps its slot until the next turn; only then is its token used again", () => {
    const { net, driver, handle } = simDriver();
    const a = connectedPair(net, "10.0.0.1:1");
    const io1 = handle.addSource(a.client, R);
    handle.deregisterSource(io1, a.client);
    expect(handle.registrations.get(1), "still there: an event with token 1 may be on its way").toBe(io1);
    const io2 = handle.addSource(a.server, R);
    expect(io2.token, "slot 1 is not free yet").toBe(2);
    driver.turn();
    expect(handle.registrations.get(1)).toBeUndefined();
    const b = connectedPair(net, "10.0.0.1:2");
    expect(handle.addSource(b.client, R).token, "released at the turn, reused now").toBe(1);
    expect(handle.metrics.fdCount, "handle.metrics.fdCount").toBe(2);
    driver.shutdown();
  });

  it(`the ${NOTIFY_AFTER}th pending release unparks the driver so that it turns and releases them`, async () => {
    const { net, driver, handle } = simDriver();
    expect(NOTIFY_AFTER).toBe(16);
    const sources = Array.from({ length: 16 }, (_, i) => net.connect(`10.0.0.9:${i + 1}`));
    const ios = sources.map((s) => handle.addSource(s, W));
    driver.turn();
    let done = false;
    const waiting = driver.wait().then(() => (done = true));
    for (let i = 0; i < 15; i++) handle.deregisterSource(ios[i]!, sources[i]!);
    await settle();
    expect(done, "15 pending: no hurry").toBe(false);
    handle.deregisterSource(ios[15]!, sources[15]!);
    await waiting;
    driver.turn();
    expect(handle.registrations.length, "handle.registrations.length").toBe(0);
    driver.shutdown();
  });

  it("shutdown wakes every waiting task, fails its next poll with Tokio's message, and closes the sources", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const reg = Registration.new(server, R, handle);
    const p = probe();
    expect(reg.pollReadReady(p.cx), "reg.pollReadReady(p.cx)").toBe(Pending);
    driver.shutdown();
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(() => reg.pollReadReady(p.cx)).toThrow(RUNTIME_SHUTTING_DOWN_ERROR);
    expect(client.read(new Uint8Array(4)), "the server socket was closed: the client reads the end of the stream").toBe(0);
    expect(() => handle.addSource(net.connect("10.0.0.1:80"), R)).toThrow(RUNTIME_SHUTTING_DOWN_ERROR);
  });

  it("Registration.pollReady spends a unit of budget when ready and gives it back when pending", () => {
    const { net, driver, handle } = simDriver();
    const { client } = connectedPair(net);
    const reg = Registration.new(client, RW, handle);
    driver.turn();
    const p = probe();
    budget(() => {
      expect(budgetRemaining(), "budgetRemaining()").toBe(128);
      expect(reg.pollWriteReady(p.cx)).not.toBe(Pending);
      expect(budgetRemaining(), "budgetRemaining()").toBe(127);
      expect(reg.pollReadReady(p.cx), "reg.pollReadReady(p.cx)").toBe(Pending);
      expect(budgetRemaining(), "a pending poll costs nothing").toBe(127);
    });
    driver.shutdown();
  });

  it("needsEventLoop is true while a real socket is registered; shutdown closes it", () => {
    const driver = new IoDriver({ network: new NodeNetwork() });
    expect(driver.needsEventLoop, "driver.needsEventLoop").toBe(false);
    const listener = driver.handle.network.bind("127.0.0.1:0");
    driver.handle.addSource(listener, R);
    expect(driver.needsEventLoop, "driver.needsEventLoop").toBe(true);
    driver.shutdown();
    expect(driver.needsEventLoop, "driver.needsEventLoop").toBe(false);
    expect(new IoDriver().handle.network.kind, "real sockets by default").toBe("node");
  });

  it("RegistrationSet: nothing pending at first; the 16th pending release says so; release frees them all, once", () => {
    const set = new RegistrationSet();
    expect(set.needsRelease(), "a new set has nothing to release").toBe(false);
    const ios = Array.from({ length: 17 }, () => set.allocate());
    expect(ios.map((io) => io.token)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    const answers = ios.slice(0, 16).map((io) => set.deregister(io));
    expect(answers, "true exactly when the 16th release is pending").toEqual([...Array(15).fill(false), true]);
    expect([set.needsRelease(), set.length]).toEqual([true, 17]);
    set.release();
    expect([set.needsRelease(), set.length], "released: nothing pending, one left").toEqual([false, 1]);
    expect(set.get(1)).toBeUndefined();
    set.remove(ios[0]!);
    expect(set.length, "removing a ScheduledIo whose slot is already free changes nothing").toBe(1);
    const again = Array.from({ length: 16 }, () => set.allocate());
    const tokens = again.map((io) => io.token);
    expect(new Set(tokens).size, `every freed slot is handed out once: ${tokens.join(",")}`).toBe(16);
    expect(tokens[0], "the last freed first").toBe(16);
    expect(set.deregister(again[0]!), "after a release the count starts again from zero").toBe(false);
  });

  it("RegistrationSet.shutdown hands back every live ScheduledIo once and forgets the pending releases", () => {
    const set = new RegistrationSet();
    const [a, b, c] = [set.allocate(), set.allocate(), set.allocate()];
    set.deregister(a);
    set.remove(b);
    expect(set.shutdown(), "every allocated ScheduledIo, a pending release included").toEqual([a, c]);
    expect([set.isShutdown(), set.needsRelease(), set.length]).toEqual([true, false, 0]);
    expect(set.get(3), "forgotten").toBeUndefined();
    expect(set.shutdown(), "a second shutdown hands back nothing").toEqual([]);
    expect(() => set.allocate()).toThrow(RUNTIME_SHUTTING_DOWN_ERROR);
  });

  it("a source that fails to register gives its slot back at once, and the error comes out", () => {
    const { net, driver, handle } = simDriver();
    const { server } = connectedPair(net);
    handle.addSource(server, R);
    let caught: unknown = null;
    try {
      handle.addSource(server, R);
    } catch (e) {
      caught = e;
    }
    expect(caught, "registering a registered source fails (EEXIST)").toMatchObject({ kind: "AlreadyExists" });
    expect([handle.registrations.length, handle.metrics.fdCount], "the failed registration holds no slot").toEqual([1, 1]);
    const other = connectedPair(net, "10.0.0.1:81");
    expect(handle.addSource(other.client, R).token, "slot 2 was freed and is used again").toBe(2);
    driver.shutdown();
  });

  it("deregisterSource takes the source out of the selector at once; after shutdown it does nothing", () => {
    const { net, driver, handle } = simDriver();
    const a = connectedPair(net, "10.0.0.1:1");
    const b = connectedPair(net, "10.0.0.1:2");
    const ioA = handle.addSource(a.server, R);
    const ioB = handle.addSource(b.server, R);
    handle.deregisterSource(ioA, a.server);
    expect(isRegistered(a.server), "deregistered from the registry now, not at the turn").toBe(false);
    expect(handle.metrics.fdCount, "handle.metrics.fdCount").toBe(1);
    driver.shutdown();
    expect(() => handle.deregisterSource(ioB, b.server), "after shutdown: nothing to do, nothing thrown").not.toThrow();
    expect(handle.metrics.fdCount, "after shutdown the count is left alone").toBe(1);
  });

  it("an event whose token names no allocated ScheduledIo is skipped", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const io = handle.addSource(server, R);
    handle.registrations.remove(io);
    client.write(bytes("x"));
    expect(() => driver.turn(), "token 1 is free: its event is dropped").not.toThrow();
    expect(handle.metrics.readyCount, "handle.metrics.readyCount").toBe(0);
    driver.shutdown();
  });

  it("a wait() that collected events settles the next wait() at once, and its events are the turn's", async () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const sio = handle.addSource(server, R);
    driver.turn();
    client.write(bytes("hi"));
    await driver.wait();
    let done = false;
    const again = driver.wait().then(() => (done = true));
    await settle();
    const settledAtOnce = done;
    if (!done) {
      driver.unpark();
      await again;
    }
    driver.turn();
    expect(settledAtOnce, "events collected by an earlier wait still await their turn: settle at once").toBe(true);
    expect(sio.ready(), "the turn dispatches what the first wait collected").toBe(Ready.READABLE);
    driver.shutdown();
  });

  it("wait(0) settles after one round of the event loop even while another wait() is pending", async () => {
    const { driver } = simDriver();
    let long = false;
    const waiting = driver.wait().then(() => (long = true));
    let zero = false;
    const zeroWait = driver.wait(0).then(() => (zero = true));
    await settle();
    const zeroSettled = zero;
    const longSettled = long;
    driver.unpark();
    await Promise.all([waiting, zeroWait]);
    expect(zeroSettled, "wait(0) does not touch the selector: it settles after one setImmediate").toBe(true);
    expect(longSettled, "the other wait goes on waiting").toBe(false);
    driver.shutdown();
  });

  it("turn() while a wait() is pending dispatches nothing: that wait owns the selector", async () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const sio = handle.addSource(server, R);
    driver.turn();
    const waiting = driver.wait();
    client.write(bytes("hi"));
    driver.turn();
    const duringWait = sio.ready();
    await waiting;
    driver.turn();
    expect(duringWait, "the turn during the wait left the selector to it").toBe(0);
    expect(sio.ready(), "the wait's own turn dispatches").toBe(Ready.READABLE);
    driver.shutdown();
  });
});

describe("Task 3: PollEvented", () => {
  it("pollRead returns what there is; on WouldBlock it clears readiness and waits, and the next event wakes it", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const pe = new PollEvented(server, R, handle);
    const p = probe();
    const buf = new Uint8Array(8);
    expect(pe.pollRead(p.cx, buf), "no event yet").toBe(Pending);
    client.write(bytes("abc"));
    driver.turn();
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(pe.pollRead(p.cx, buf), "pe.pollRead(p.cx, buf)").toBe(3);
    expect(text(buf, 3), "text(buf, 3)").toBe("abc");
    expect(pe.pollRead(p.cx, buf), "pe.pollRead(p.cx, buf)").toBe(Pending);
    client.write(bytes("de"));
    driver.turn();
    expect(p.stats.wakes, "p.stats.wakes").toBe(2);
    expect(pe.pollRead(p.cx, buf), "pe.pollRead(p.cx, buf)").toBe(2);
    pe[Symbol.dispose]();
    driver.shutdown();
  });

  it("a short read clears readiness (no read is wasted on an empty socket); a full one does not", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const src = new Wrapped(server);
    const pe = new PollEvented(src, R, handle);
    const p = probe();
    client.write(bytes("wxyz"));
    driver.turn();
    expect(pe.pollRead(p.cx, new Uint8Array(2))).toBe(2);
    expect(pe.registration.shared.ready(), "a full read: there may be more").toBe(Ready.READABLE);
    expect(pe.pollRead(p.cx, new Uint8Array(8))).toBe(2);
    expect(src.reads, "src.reads").toBe(2);
    expect(pe.pollRead(p.cx, new Uint8Array(8)), "the short read cleared readiness").toBe(Pending);
    expect(src.reads, "and so no third read was tried").toBe(2);
    pe[Symbol.dispose]();
    driver.shutdown();
  });

  it("no lost wake-up: readiness that arrives between a WouldBlock and the clear is kept, and the data is read", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const src = new Wrapped(server);
    const pe = new PollEvented(src, R, handle);
    const p = probe();
    client.write(bytes("ab"));
    driver.turn();
    expect(pe.pollRead(p.cx, new Uint8Array(2))).toBe(2);
    // The next read finds nothing; before the clear, "another thread" delivers data and turns the driver.
    src.onWouldBlock = () => {
      client.write(bytes("late"));
      driver.turn();
    };
    const buf = new Uint8Array(8);
    const n = pe.pollRead(p.cx, buf);
    expect(n, "a blind clear would return Pending here, and nothing would ever wake the task").toBe(4);
    expect(text(buf, 4), "text(buf, 4)").toBe("late");
    pe[Symbol.dispose]();
    driver.shutdown();
  });

  it("pollWrite accepts what fits; when the pipe is full it waits, and the peer's read wakes it", () => {
    const { net, driver, handle } = simDriver(4);
    const { client, server } = connectedPair(net);
    const pe = new PollEvented(client, W, handle);
    const p = probe();
    driver.turn();
    const data = bytes("0123456789");
    expect(pe.pollWrite(p.cx, data), "pe.pollWrite(p.cx, data)").toBe(4);
    expect(pe.pollWrite(p.cx, data.subarray(4)), "the short write cleared readiness").toBe(Pending);
    expect(server.read(new Uint8Array(3))).toBe(3);
    driver.turn();
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(pe.pollWrite(p.cx, data.subarray(4))).toBe(3);
    pe[Symbol.dispose]();
    driver.shutdown();
  });

  it("every ready poll spends a unit of budget; with none left it returns Pending though data is there", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const pe = new PollEvented(server, R, handle);
    const p = probe();
    client.write(new Uint8Array(200));
    driver.turn();
    budget(() => {
      const one = new Uint8Array(1);
      for (let i = 0; i < 128; i++) expect(pe.pollRead(p.cx, one), "pe.pollRead(p.cx, one)").toBe(1);
      expect(budgetRemaining(), "budgetRemaining()").toBe(0);
      expect(pe.pollRead(p.cx, one), "out of budget").toBe(Pending);
      expect(p.stats.wakes, "the task is woken to try again later").toBe(1);
    });
    expect(pe.pollRead(p.cx, new Uint8Array(100)), "outside the budget the rest is there").toBe(72);
    pe[Symbol.dispose]();
    driver.shutdown();
  });

  it("dispose deregisters and closes the source, once", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const pe = new PollEvented(server, RW, handle);
    expect(handle.metrics.fdCount, "handle.metrics.fdCount").toBe(1);
    pe[Symbol.dispose]();
    expect(handle.metrics.fdCount, "handle.metrics.fdCount").toBe(0);
    expect(isRegistered(server), "isRegistered(server)").toBe(false);
    expect(client.read(new Uint8Array(4)), "closed gracefully: the peer reads the end of the stream").toBe(0);
    expect(() => pe.io).toThrow("PollEvented used after it was disposed");
    expect(() => pe[Symbol.dispose]()).not.toThrow();
    expect(handle.metrics.fdCount, "handle.metrics.fdCount").toBe(0);
    driver.shutdown();
  });

  it("a read of 0 (the end of the stream) keeps readiness: the next read returns 0 again at once", () => {
    const { net, driver, handle } = simDriver();
    const { client, server } = connectedPair(net);
    const src = new Wrapped(server);
    const pe = new PollEvented(src, R, handle);
    const p = probe();
    client.write(bytes("ab"));
    driver.turn();
    client.shutdown("write");
    expect(pe.pollRead(p.cx, new Uint8Array(2))).toBe(2);
    expect(pe.pollRead(p.cx, new Uint8Array(8)), "the end of the stream").toBe(0);
    expect(pe.pollRead(p.cx, new Uint8Array(8)), "0 is not a short read: readiness was kept, no wait for an event").toBe(0);
    expect(src.reads, "src.reads").toBe(3);
    pe[Symbol.dispose]();
    driver.shutdown();
  });

  it("pollWrite: a full write keeps readiness; WouldBlock clears it and waits; a short write clears it without a wasted write", () => {
    const { net, driver, handle } = simDriver(4);
    const { client, server } = connectedPair(net);
    const src = new Wrapped(client);
    const pe = new PollEvented(src, W, handle);
    const p = probe();
    driver.turn();
    expect(pe.pollWrite(p.cx, bytes("0123")), "a full write").toBe(4);
    expect(pe.pollWrite(p.cx, bytes("45")), "the pipe is full: WouldBlock, clear, wait").toBe(Pending);
    expect(src.writes, "the full write kept readiness, so the second write was tried").toBe(2);
    expect(server.read(new Uint8Array(2))).toBe(2);
    driver.turn();
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(pe.pollWrite(p.cx, bytes("456")), "room for 2 of 3: a short write").toBe(2);
    expect(pe.pollWrite(p.cx, bytes("6")), "the short write cleared readiness").toBe(Pending);
    expect(src.writes, "and so no write was tried on the full pipe").toBe(3);
    pe[Symbol.dispose]();
    driver.shutdown();
  });

  it("a write of 0 is not a short write: readiness is kept and the next poll writes again", () => {
    const { net, driver, handle } = simDriver();
    const { client } = connectedPair(net);
    const src = new Wrapped(client);
    const pe = new PollEvented(src, W, handle);
    const p = probe();
    driver.turn();
    src.writeZero = true;
    expect(pe.pollWrite(p.cx, bytes("abc"))).toBe(0);
    expect(pe.pollWrite(p.cx, bytes("abc")), "still writable: the write is tried again").toBe(0);
    expect(src.writes, "src.writes").toBe(2);
    pe[Symbol.dispose]();
    driver.shutdown();
  });
});
