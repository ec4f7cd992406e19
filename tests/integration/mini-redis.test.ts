/**
 * Integration: the mini-redis app (chapter 19's server, grader/apps/mini-redis.ts) on the assembled runtime, driven
 * by the `redis` client from npm over real loopback TCP, in both flavours. Behaviour only: no test waits for an
 * expiry (chapter 19's suite checks expiry on the paused clock).
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClient, type RedisClientType } from "redis";
import { serveMiniRedis } from "../../grader/apps/mini-redis.ts";
import { FLAVORS, serveApp, type Served } from "../_support/integration.ts";
import { reach } from "../_support/served.ts";

let server: Served<unknown> | null = null;
const clients: RedisClientType[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) if (c.isOpen) c.destroy();
  await server?.stop();
  server = null;
});

async function client(): Promise<RedisClientType> {
  const c: RedisClientType = createClient({ url: `redis://127.0.0.1:${server!.port}`, socket: { reconnectStrategy: false } });
  c.on("error", () => {});
  clients.push(c);
  await reach(server!, c.connect());
  return c;
}

describe("mini-redis with the redis client", { timeout: 20_000 }, () => {
  for (const flavor of FLAVORS) {
    describe(flavor, () => {
      it("strings, counters, expiry options and errors, from several clients at once", async () => {
        server = await serveApp(flavor, serveMiniRedis);
        const [a, b] = [await client(), await client()];
        expect(await a.ping(), "a.ping()").toBe("PONG");
        expect(await a.set("greeting", "hello", { expiration: { type: "PX", value: 60_000 } })).toBe("OK");
        expect(await b.get("greeting")).toBe("hello");
        const counts = await Promise.all([...Array.from({ length: 20 }, () => a.incr("n")), ...Array.from({ length: 20 }, () => b.incr("n"))]);
        expect(new Set(counts).size, "forty increments, forty distinct values").toBe(40);
        expect(await b.get("n")).toBe("40");
        expect(await a.exists(["greeting", "n", "nothing"])).toBe(2);
        expect(await b.del(["greeting"])).toBe(1);
        await expect(a.incr("greeting-gone-but-text")).resolves.toBe(1);
        await b.set("text", "abc");
        await expect(b.incr("text")).rejects.toThrow("ERR value is not an integer or out of range");
        expect(await b.echo("still connected")).toBe("still connected");
      });

      it("publish and subscribe across clients", async () => {
        server = await serveApp(flavor, serveMiniRedis);
        const [pub, sub] = [await client(), await client()];
        const got: string[] = [];
        let done: () => void = () => {};
        const three = new Promise<void>((resolve) => (done = resolve));
        await sub.subscribe("events", (m) => {
          got.push(m);
          if (got.length === 3) done();
        });
        for (const m of ["one", "two", "three"]) expect(await pub.publish("events", m)).toBe(1);
        await three;
        expect(got).toEqual(["one", "two", "three"]);
      });

      it("a graceful shutdown closes the clients' connections", async () => {
        server = await serveApp(flavor, serveMiniRedis);
        const a = await client();
        const closed = new Promise<void>((resolve) => a.on("error", () => resolve()));
        expect(await a.ping(), "a.ping()").toBe("PONG");
        expect(await server.stop(), "server.stop()").toEqual({ connections: 1 });
        server = null;
        await closed;
        expect(a.isOpen, "a.isOpen").toBe(false);
      });
    });
  }
});
