/**
 * The Tokio tutorial's program: mini-redis, here with the real `redis` client from npm over loopback TCP. The
 * server is `runServer` on a current-thread runtime; cancelling the token shuts it down gracefully.
 */
import { expect, it } from "vitest";
import { createClient } from "redis";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder } from "#kata/07-current-thread";
import { TcpListener } from "#kata/11-io-driver";
import { CancellationToken } from "#kata/18-select-cancel";
import { runServer } from "#kata/19-capstone";

it("PING, SET, GET and INCR with a real Redis client", async () => {
  using rt = Builder.newCurrentThread().enableAll().build();
  const shutdown = new CancellationToken();
  let listening: (port: number) => void = () => {};
  const port = new Promise<number>((resolve) => (listening = resolve));
  const server = rt.blockOn(
    asyncBlock(function* () {
      using listener = yield* TcpListener.bind("127.0.0.1:0");
      listening(listener.localAddr().port);
      return yield* runServer(listener, { shutdown });
    }),
  );
  const url = `redis://127.0.0.1:${await Promise.race([port, server.then(() => 0)])}`;
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on("error", () => {}); // the connection closes when the server shuts down
  // A server that failed has closed its listener: what it failed with says more than the client's ECONNREFUSED.
  await client.connect().catch(async (e: unknown) => {
    await server;
    throw e;
  });
  try {
    expect(await client.ping()).toBe("PONG");
    expect(await client.set("greeting", "hello")).toBe("OK");
    expect(await client.get("greeting")).toBe("hello");
    expect(await client.incr("visits")).toBe(1);
  } finally {
    shutdown.cancel();
    expect(await server).toEqual({ connections: 1 });
    client.destroy();
  }
});
