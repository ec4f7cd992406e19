/**
 * Integration: the echo app (grader/apps/echo.ts) on the assembled runtime, over real loopback TCP, in both
 * flavours.
 */
import { afterEach, describe, expect, it } from "vitest";
import { serveEcho } from "../../grader/apps/echo.ts";
import { FLAVORS, LineClient, serveApp, type Served } from "../_support/integration.ts";
import type { ShutdownReport } from "../../grader/runtime/index.ts";

let server: Served<ShutdownReport> | null = null;
const clients: LineClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server = null;
});

async function client(): Promise<LineClient> {
  const c = await LineClient.open(server!);
  clients.push(c);
  return c;
}

describe("echo server", { timeout: 20_000 }, () => {
  for (const flavor of FLAVORS) {
    describe(flavor, () => {
      it("echoes what each of several clients sends, in order and whole (64 KiB each)", async () => {
        server = await serveApp(flavor, serveEcho);
        const cs = await Promise.all(Array.from({ length: 5 }, () => client()));
        const payloads = cs.map((_, i) => Array.from({ length: 1024 }, (_, k) => `${i}:${k}`.padEnd(63, ".")).join("\n") + "\n");
        cs.forEach((c, i) => c.send(payloads[i]!));
        const got = await Promise.all(cs.map((c, i) => c.until((r) => r.length >= payloads[i]!.length, `client ${i}'s echo`)));
        expect(got).toEqual(payloads);
      });

      it("a client that closes its side gets everything back, then the server closes the connection", async () => {
        server = await serveApp(flavor, serveEcho);
        const c = await client();
        c.send("last words\n");
        c.socket.end();
        await c.closedByServer();
        expect(c.lines(), "c.lines()").toEqual(["last words"]);
      });

      it("a graceful shutdown ends the connected clients' connections and reports them", async () => {
        server = await serveApp(flavor, serveEcho);
        const a = await client();
        const b = await client();
        a.send("ping\n");
        await a.until((r) => r === "ping\n", "the echo");
        b.send("pong\n");
        await b.until((r) => r === "pong\n", "the echo");
        const report = await server.stop();
        server = null;
        await Promise.all([a.closedByServer(), b.closedByServer()]);
        expect(report).toEqual({ accepted: 2, finished: 2, failed: 0, cutOff: [] });
      });
    });
  }
});
