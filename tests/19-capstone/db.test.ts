/**
 * Task 7: the command table and the store, with expiry on the runtime's timers (paused clock).
 */
import { describe, expect, it } from "vitest";
import type { AsyncGen } from "#kata/02-state-machines";
import { advance, sleep } from "#kata/13-time";
import { yieldNow } from "#kata/14-blocking";
import { CommandError, Db, apply, frame, keyBytes, keyOf, parseCommand, type Command, type Frame } from "#kata/19-capstone";
import { thrownAs } from "../_support/16-channels.ts";
import { bytes, onRuntime, text } from "../_support/19-capstone.ts";

const { simple, integer, bulk, array, NULL } = frame;

/** The request frame of a command line. */
function req(...args: string[]): Frame {
  return array(args.map((a) => bulk(a)));
}

function errorOf(...args: string[]): string {
  return thrownAs(CommandError, () => parseCommand(req(...args))).message;
}

/** Runs a command line against `db`: its reply, or the error a client would get. */
function run(db: Db, ...args: string[]): Frame {
  try {
    return apply(parseCommand(req(...args)) as Command, db);
  } catch (e) {
    if (e instanceof CommandError) return frame.error(e.message);
    throw e;
  }
}

/** Sleeps `ms`, lets the purge task run, and gives the entries `db` holds then. */
function* sizeAfter(db: Db, ms: number): AsyncGen<number> {
  yield* sleep(ms);
  yield* yieldNow();
  return db.size();
}

describe("Task 7: The store and its commands", () => {
  it("parses every command, whatever the case of its name", () => {
    const v = bytes("v");
    expect(parseCommand(req("ping"))).toEqual({ name: "ping", message: undefined });
    expect(parseCommand(req("PiNg", "hi"))).toEqual({ name: "ping", message: bytes("hi") });
    expect(parseCommand(req("ECHO", "x"))).toEqual({ name: "echo", message: bytes("x") });
    expect(parseCommand(req("get", "k"))).toEqual({ name: "get", key: "k" });
    expect(parseCommand(req("SET", "k", "v"))).toEqual({ name: "set", key: "k", value: v, expireMs: undefined });
    expect(parseCommand(req("set", "k", "v", "ex", "2"))).toEqual({ name: "set", key: "k", value: v, expireMs: 2000 });
    expect(parseCommand(req("set", "k", "v", "PX", "150"))).toEqual({ name: "set", key: "k", value: v, expireMs: 150 });
    expect(parseCommand(req("DEL", "a", "b"))).toEqual({ name: "del", keys: ["a", "b"] });
    expect(parseCommand(req("exists", "a", "a"))).toEqual({ name: "exists", keys: ["a", "a"] });
    expect(parseCommand(req("INCR", "n"))).toEqual({ name: "incr", key: "n" });
    expect(parseCommand(req("PUBLISH", "news", "hi"))).toEqual({ name: "publish", channel: "news", message: bytes("hi") });
    expect(parseCommand(req("SUBSCRIBE", "a", "b"))).toEqual({ name: "subscribe", channels: ["a", "b"] });
    expect(parseCommand(req("UNSUBSCRIBE"))).toEqual({ name: "unsubscribe", channels: [] });
    expect(parseCommand(array([])), "an empty array is no command").toBe(null);
  });

  it("refuses bad requests with Redis's messages", () => {
    expect(errorOf("foo", "a", "b")).toBe("ERR unknown command 'foo', with args beginning with: 'a' 'b' ");
    expect(errorOf("FLUSHALL")).toBe("ERR unknown command 'FLUSHALL', with args beginning with: ");
    expect(errorOf("GET")).toBe("ERR wrong number of arguments for 'get' command");
    expect(errorOf("Ping", "a", "b")).toBe("ERR wrong number of arguments for 'ping' command");
    expect(errorOf("set", "k")).toBe("ERR wrong number of arguments for 'set' command");
    expect(errorOf("subscribe")).toBe("ERR wrong number of arguments for 'subscribe' command");
    expect(errorOf("set", "k", "v", "NX")).toBe("ERR syntax error");
    expect(errorOf("set", "k", "v", "EX")).toBe("ERR syntax error");
    expect(errorOf("set", "k", "v", "EX", "1", "PX", "5")).toBe("ERR syntax error");
    expect(errorOf("set", "k", "v", "EX", "abc")).toBe("ERR value is not an integer or out of range");
    expect(errorOf("set", "k", "v", "PX", "1.5")).toBe("ERR value is not an integer or out of range");
    expect(errorOf("set", "k", "v", "EX", "0")).toBe("ERR invalid expire time in 'set' command");
    expect(errorOf("set", "k", "v", "PX", "-5")).toBe("ERR invalid expire time in 'set' command");
    expect(errorOf("set", "k", "v", "KEEPTTL", "5"), "an option other than EX and PX, even with a number").toBe("ERR syntax error");
    expect(errorOf("set", "k", "v", "PX", "9007199254740993"), "beyond 2^53 ms").toBe("ERR invalid expire time in 'set' command");
    expect(errorOf("set", "k", "v", "EX", "9007199254741"), "beyond 2^53 ms once in ms").toBe("ERR invalid expire time in 'set' command");
    const notBulk = thrownAs(CommandError, () => parseCommand(array([bulk("GET"), integer(1n)])));
    expect(notBulk.message, "notBulk.message").toBe("ERR Protocol error: expected an array of bulk strings");
    expect(thrownAs(CommandError, () => parseCommand(simple("PING"))).message).toBe("ERR Protocol error: expected an array of bulk strings");
  });

  it("keys are any bytes, not only text", async () => {
    await onRuntime(function* () {
      const db = new Db();
      const raw = new Uint8Array([0, 200, 255, 13]);
      const other = new Uint8Array([0, 200, 255, 14]);
      const setRaw = parseCommand(array([bulk("SET"), bulk(raw), bulk("binary")]))!;
      expect(apply(setRaw, db), "apply(setRaw, db)").toEqual(simple("OK"));
      expect(apply(parseCommand(array([bulk("GET"), bulk(raw)]))!, db)).toEqual(bulk("binary"));
      expect(apply(parseCommand(array([bulk("GET"), bulk(other)]))!, db), "a key differing in its last byte").toEqual(NULL);
      expect(keyBytes(keyOf(raw))).toEqual(raw);
      db.shutdown();
    });
  });

  it("PING, ECHO, GET, SET, DEL, EXISTS reply as Redis does", async () => {
    await onRuntime(function* () {
      const db = new Db();
      expect(run(db, "PING")).toEqual(simple("PONG"));
      expect(run(db, "PING", "yo")).toEqual(bulk("yo"));
      expect(run(db, "ECHO", "hey")).toEqual(bulk("hey"));
      expect(run(db, "GET", "k")).toEqual(NULL);
      expect(run(db, "SET", "k", "v1")).toEqual(simple("OK"));
      expect(run(db, "SET", "k", "v2")).toEqual(simple("OK"));
      expect(run(db, "GET", "k")).toEqual(bulk("v2"));
      expect(run(db, "SET", "j", "x")).toEqual(simple("OK"));
      expect(run(db, "EXISTS", "k", "k", "nope", "j")).toEqual(integer(3n));
      expect(run(db, "DEL", "k", "nope", "k")).toEqual(integer(1n));
      expect(run(db, "GET", "k")).toEqual(NULL);
      db.shutdown();
    });
  });

  it("INCR: from 0 when absent, integers only (canonical, 64-bit), no overflow", async () => {
    await onRuntime(function* () {
      const db = new Db();
      expect(run(db, "INCR", "n")).toEqual(integer(1n));
      expect(run(db, "INCR", "n")).toEqual(integer(2n));
      expect(text(db.get("n")!), "stored as its decimal text").toBe("2");
      run(db, "SET", "neg", "-10");
      expect(run(db, "INCR", "neg")).toEqual(integer(-9n));
      for (const bad of ["abc", "1.5", "007", " 1", "+1", "", "9223372036854775808"]) {
        run(db, "SET", "s", bad);
        expect(run(db, "INCR", "s"), JSON.stringify(bad)).toEqual(frame.error("ERR value is not an integer or out of range"));
      }
      run(db, "SET", "max", "9223372036854775807");
      expect(run(db, "INCR", "max")).toEqual(frame.error("ERR increment or decrement would overflow"));
      db.shutdown();
    });
  });

  it("expiry on the paused clock: a key set with PX or EX is gone once its deadline has come", async () => {
    await onRuntime(function* () {
      const db = new Db();
      run(db, "SET", "px", "v", "PX", "100");
      run(db, "SET", "ex", "v", "EX", "2");
      run(db, "SET", "forever", "v");
      yield* advance(99);
      expect(run(db, "GET", "px"), "99 ms: still there").toEqual(bulk("v"));
      yield* advance(1);
      expect(run(db, "GET", "px"), "100 ms: gone").toEqual(NULL);
      expect(run(db, "EXISTS", "px", "ex", "forever")).toEqual(integer(2n));
      yield* advance(1900);
      expect(run(db, "EXISTS", "px", "ex", "forever")).toEqual(integer(1n));
      db.shutdown();
    });
  });

  it("SET replaces the deadline (none: the key stays); INCR keeps it", async () => {
    await onRuntime(function* () {
      const db = new Db();
      run(db, "SET", "a", "1", "PX", "50");
      run(db, "SET", "a", "2");
      run(db, "SET", "b", "1", "PX", "50");
      run(db, "SET", "b", "2", "PX", "500");
      run(db, "SET", "c", "1", "PX", "50");
      run(db, "INCR", "c");
      yield* advance(50);
      expect([run(db, "GET", "a"), run(db, "GET", "b"), run(db, "GET", "c")]).toEqual([bulk("2"), bulk("2"), NULL]);
      yield* advance(450);
      expect(run(db, "GET", "b")).toEqual(NULL);
      db.shutdown();
    });
  });

  it("the purge task removes due keys nobody reads, and wakes early for an earlier deadline", async () => {
    await onRuntime(function* () {
      const db = new Db();
      run(db, "SET", "late", "v", "PX", "1000");
      yield* yieldNow(); // the purge task now sleeps until 1000
      run(db, "SET", "soon", "v", "PX", "10");
      run(db, "SET", "kept", "v");
      expect(db.size(), "db.size()").toBe(3);
      expect(yield* sizeAfter(db, 10), "'soon' purged at 10 ms without being read").toBe(2);
      expect(yield* sizeAfter(db, 990), "'late' purged at 1000 ms").toBe(1);
      db.shutdown();
    });
  });

  it("the purge task keeps the deadlines in order, whatever order they were set in; a key deleted or reset before its deadline is no trouble", async () => {
    await onRuntime(function* () {
      const db = new Db();
      for (const [key, ms] of [["a", "30"], ["b", "10"], ["c", "20"], ["d", "10"], ["gone", "15"], ["moved", "5"]] as const) {
        run(db, "SET", key, "v", "PX", ms);
      }
      run(db, "SET", "e", "v");
      run(db, "DEL", "gone");
      run(db, "SET", "moved", "v", "PX", "25");
      const sizes: number[] = [];
      for (const ms of [5, 5, 10, 5, 5]) sizes.push(yield* sizeAfter(db, ms));
      expect(sizes, "entries held at 5, 10, 20, 25 and 30 ms").toEqual([6, 4, 3, 2, 1]);
      run(db, "SET", "f", "v", "PX", "5");
      expect(yield* sizeAfter(db, 5), "every deadline was purged, and the purge task goes on: 'f' is purged too").toBe(1);
      db.shutdown();
    });
  });

  it("DEL counts no key whose deadline has passed, even one the purge task has not removed yet", async () => {
    await onRuntime(function* () {
      const db = new Db();
      db.shutdown();
      yield* yieldNow(); // the purge task has stopped: nothing removes due keys but a read
      run(db, "SET", "k", "v", "PX", "10");
      yield* advance(10);
      expect(db.size(), "still held").toBe(1);
      expect(run(db, "DEL", "k"), "due: it does not exist any more").toEqual(integer(0n));
    });
  });

  it("PUBLISH: 0 without subscribers; each subscriber gets the message; the count is returned", async () => {
    await onRuntime(function* () {
      const db = new Db();
      expect(run(db, "PUBLISH", "news", "nobody")).toEqual(integer(0n));
      const a = db.subscribe("news");
      const b = db.subscribe("news");
      const other = db.subscribe("sport");
      expect(run(db, "PUBLISH", "news", "hello")).toEqual(integer(2n));
      expect(text(yield* a.recv())).toBe("hello");
      expect(text(yield* b.recv())).toBe("hello");
      expect(other.isEmpty(), "another channel sees nothing").toBe(true);
      a[Symbol.dispose]();
      b[Symbol.dispose]();
      expect(run(db, "PUBLISH", "news", "gone")).toEqual(integer(0n));
      db.shutdown();
    });
  });
});
