/**
 * Integration: the chat app (grader/apps/chat.ts, a broadcast channel) on the assembled runtime, over real
 * loopback TCP, in both flavours.
 */
import { afterEach, describe, expect, it } from "vitest";
import { serveChat } from "../../grader/apps/chat.ts";
import { FLAVORS, LineClient, serveApp, type Served } from "../_support/integration.ts";
import type { ShutdownReport } from "../../grader/runtime/index.ts";

let server: Served<ShutdownReport> | null = null;
const clients: LineClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server = null;
});

/** A member who has read its welcome line. */
async function join(name: string): Promise<LineClient> {
  const c = await LineClient.open(server!);
  clients.push(c);
  await c.until((r) => r.includes(`you are ${name}\n`), `${name}'s welcome`);
  return c;
}

const hasLine = (line: string) => (r: string) => r.split("\n").includes(line);

describe("chat server", { timeout: 20_000 }, () => {
  for (const flavor of FLAVORS) {
    describe(flavor, () => {
      it("a message reaches every other member, not its author; joins and leaves are announced", async () => {
        server = await serveApp(flavor, serveChat);
        const ann = await join("guest-1");
        const bob = await join("guest-2");
        await ann.until(hasLine("* guest-2 joined"), "bob's arrival");
        const cy = await join("guest-3");
        await Promise.all([ann, bob].map((c) => c.until(hasLine("* guest-3 joined"), "cy's arrival")));
        ann.send("hello, room\n");
        await Promise.all([bob, cy].map((c) => c.until(hasLine("[guest-1] hello, room"), "ann's message")));
        cy.send("bye\n");
        cy.socket.end();
        await Promise.all([ann, bob].map((c) => c.until(hasLine("* guest-3 left"), "cy's departure")));
        expect(ann.lines(), "ann.lines()").toEqual(["welcome, you are guest-1", "* guest-2 joined", "* guest-3 joined", "[guest-3] bye", "* guest-3 left"]);
        expect(bob.lines(), "bob.lines()").toEqual(["welcome, you are guest-2", "* guest-3 joined", "[guest-1] hello, room", "[guest-3] bye", "* guest-3 left"]);
      });

      it("a graceful shutdown closes every member's connection and reports them", async () => {
        server = await serveApp(flavor, serveChat);
        const a = await join("guest-1");
        const b = await join("guest-2");
        const report = await server.stop();
        server = null;
        await Promise.all([a.closedByServer(), b.closedByServer()]);
        expect(report).toEqual({ accepted: 2, finished: 2, failed: 0, cutOff: [] });
      });
    });
  }
});
