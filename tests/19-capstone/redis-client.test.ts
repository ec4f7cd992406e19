/**
 * Tasks 8-10 with a real client: the `redis` package from npm, over real loopback TCP (127.0.0.1, a free port),
 * against the server on a current-thread runtime. These check behaviour only: expiry is tested on the paused clock
 * (db.test.ts), never here. Real sockets on a shared machine: each test gets 20 s, far more than it needs.
 */
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, type RedisClientType } from "redis";
import { startRedis, type RedisServer } from "../_support/19-capstone.ts";
import { reach } from "../_support/served.ts";

let server: Promise<RedisServer> | null = null;
const clients: RedisClientType[] = [];
const sockets: Socket[] = [];
/** Per client: settles when its connection was closed by the server ("Socket closed unexpectedly"). */
const closed = new Map<RedisClientType, Promise<void>>();

async function client(): Promise<RedisClientType> {
  server ??= startRedis("current_thread");
  const s = await server;
  const c: RedisClientType = createClient({ url: s.url, socket: { reconnectStrategy: false } });
  closed.set(c, new Promise<void>((resolve) => c.on("error", () => resolve())));
  clients.push(c);
  await reach(s, c.connect());
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) if (c.isOpen) c.destroy();
  for (const s of sockets.splice(0)) s.destroy();
  closed.clear();
  if (server !== null) await (await server).stop();
  server = null;
});

/** A raw socket: writes `raw`, resolves with everything received until `expectedLength` bytes arrived. */
async function rawExchange(raw: string, expectedLength: number): Promise<string> {
  server ??= startRedis("current_thread");
  const s = await server;
  const socket = connect(s.port, "127.0.0.1");
  sockets.push(socket);
  let got = "";
  const exchange = new Promise<string>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("data", (d) => {
      got += d.toString("latin1");
      if (got.length >= expectedLength) resolve(got);
    });
    socket.on("end", () => resolve(got));
    socket.write(raw, "latin1");
  });
  return await reach(s, exchange);
}

describe("Task 8: The connection", { timeout: 20_000 }, () => {
  it("the redis client: PING, ECHO, SET, GET, DEL, EXISTS, INCR, SET with EX and PX", async () => {
    const c = await client();
    expect(await c.ping(), "c.ping()").toBe("PONG");
    expect(await c.echo("héllo")).toBe("héllo");
    expect(await c.get("k")).toBe(null);
    expect(await c.set("k", "v")).toBe("OK");
    expect(await c.get("k")).toBe("v");
    expect(await c.set("t", "x", { expiration: { type: "PX", value: 60_000 } })).toBe("OK");
    expect(await c.set("u", "y", { expiration: { type: "EX", value: 60 } })).toBe("OK");
    expect(await c.get("t")).toBe("x");
    expect(await c.exists(["k", "t", "nope"])).toBe(2);
    expect(await c.del(["k", "nope"])).toBe(1);
    expect(await c.incr("n")).toBe(1);
    expect(await c.incr("n")).toBe(2);
    const many = await Promise.all(Array.from({ length: 50 }, () => c.incr("pipelined")));
    expect(many, "fifty pipelined INCRs, answered in order").toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("errors reach the client as errors, and the connection goes on", async () => {
    const c = await client();
    await c.set("s", "text");
    await expect(c.incr("s")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(c.sendCommand(["FLY", "away"])).rejects.toThrow("ERR unknown command 'FLY', with args beginning with: 'away' ");
    await expect(c.sendCommand(["GET"])).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    expect(await c.ping(), "c.ping()").toBe("PONG");
  });

  it("raw bytes: malformed input gets a protocol error, then the next command is answered", async () => {
    const expected = "-ERR Protocol error: invalid multibulk length\r\n+PONG\r\n";
    expect(await rawExchange("*x\r\n*1\r\n$4\r\nPING\r\n", expected.length)).toBe(expected);
  });
});

describe("Task 9: Pub/sub", { timeout: 20_000 }, () => {
  it("the redis client: subscribe, receive what another client publishes, unsubscribe", async () => {
    const pub = await client();
    const sub = await client();
    const got: string[] = [];
    let arrived: () => void = () => {};
    const twoMessages = new Promise<void>((resolve) => (arrived = resolve));
    await sub.subscribe(["news", "sport"], (message, channel) => {
      got.push(`${channel}: ${message}`);
      if (got.length === 2) arrived();
    });
    expect(await pub.publish("news", "rain tomorrow")).toBe(1);
    expect(await pub.publish("sport", "2-1")).toBe(1);
    expect(await pub.publish("nobody-listens", "?")).toBe(0);
    await twoMessages;
    expect(got).toEqual(["news: rain tomorrow", "sport: 2-1"]);
    await sub.unsubscribe(["news"]);
    expect(await pub.publish("news", "missed")).toBe(0);
    expect(await pub.publish("sport", "still")).toBe(1);
  });
});

describe("Task 10: The server", { timeout: 20_000 }, () => {
  it("many clients at once share one store", async () => {
    const cs = await Promise.all(Array.from({ length: 8 }, () => client()));
    const out = await Promise.all(cs.map((c) => c.incr("shared")));
    expect([...out].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("a graceful shutdown closes the clients' connections and reports what it served", async () => {
    const a = await client();
    const b = await client();
    await b.subscribe("news", () => {});
    const report = await (await server!).stop();
    server = null;
    expect(report).toEqual({ connections: 2 });
    await Promise.all([closed.get(a), closed.get(b)]);
    expect([a.isOpen, b.isOpen], "both clients saw their connection end").toEqual([false, false]);
  });
});
