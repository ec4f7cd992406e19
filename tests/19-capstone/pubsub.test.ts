/**
 * Task 9: pub/sub, over the simulated network on a paused clock: SUBSCRIBE puts a connection in subscriber mode,
 * PUBLISH on another connection reaches it, UNSUBSCRIBE brings it back.
 */
import { describe, expect, it } from "vitest";
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import type { JoinHandle } from "#kata/06-task";
import { spawn } from "#kata/07-current-thread";
import { SimNetwork } from "#kata/10-mio";
import { TcpListener, TcpStream } from "#kata/11-io-driver";
import { sleep } from "#kata/13-time";
import { CancellationToken } from "#kata/18-select-cancel";
import { Db, Subscriptions, frame, handleConnection } from "#kata/19-capstone";
import { Watchdog, command, expectReply, onRuntime, reply, send } from "../_support/19-capstone.ts";

interface Clients {
  connect(): AsyncGen<TcpStream>;
  token: CancellationToken;
  handlers: JoinHandle<void>[];
  db: Db;
}

/** A tiny accept loop running `handleConnection` for each client; `body` plays the clients. */
function withClients<T>(body: (c: Clients) => AsyncGen<T>): Promise<T> {
  return onRuntime(
    function* () {
      const db = new Db();
      const token = new CancellationToken();
      const listener = yield* TcpListener.bind("10.0.0.1:6379");
      const handlers: JoinHandle<void>[] = [];
      const streams: TcpStream[] = [];
      const watchdog = new Watchdog();
      const acceptor = spawn(
        asyncBlock(function* () {
          for (;;) {
            const [stream] = yield* listener.accept();
            streams.push(stream);
            handlers.push(spawn(watchdog.watch(handleConnection(stream, db, token.childToken()))));
          }
        }),
      );
      const clients: TcpStream[] = [];
      try {
        return yield* watchdog.run(() => body({
          *connect() {
            const c = yield* TcpStream.connect("10.0.0.1:6379");
            clients.push(c);
            return c;
          },
          token,
          handlers,
          db,
        }));
      } finally {
        acceptor.abort();
        for (const c of [...clients, ...streams]) c.close();
        listener.close();
        db.shutdown();
      }
    },
    { network: new SimNetwork() },
  );
}

describe("Task 9: Pub/sub", () => {
  it("SUBSCRIBE answers per channel with the running count; a PUBLISH elsewhere arrives as a message", async () => {
    await withClients(function* ({ connect }) {
      const sub = yield* connect();
      const pub = yield* connect();
      yield* send(sub, command("SUBSCRIBE", "news", "weather"));
      yield* expectReply(sub, reply(["subscribe", "news", 1]) + reply(["subscribe", "weather", 2]));
      yield* send(pub, command("PUBLISH", "news", "hello") + command("PUBLISH", "sport", "nobody"));
      yield* expectReply(pub, ":1\r\n:0\r\n", "subscribers reached");
      yield* expectReply(sub, reply(["message", "news", "hello"]));
    });
  });

  it("UNSUBSCRIBE some, then the rest: at a count of 0 the connection is back in normal mode", async () => {
    await withClients(function* ({ connect }) {
      const sub = yield* connect();
      yield* send(sub, command("SUBSCRIBE", "a", "b", "c"));
      yield* expectReply(sub, reply(["subscribe", "a", 1]) + reply(["subscribe", "b", 2]) + reply(["subscribe", "c", 3]));
      yield* send(sub, command("UNSUBSCRIBE", "b", "zzz"));
      yield* expectReply(sub, reply(["unsubscribe", "b", 2]) + reply(["unsubscribe", "zzz", 2]));
      yield* send(sub, command("UNSUBSCRIBE"));
      yield* expectReply(sub, reply(["unsubscribe", "a", 1]) + reply(["unsubscribe", "c", 0]));
      yield* send(sub, command("SET", "k", "v") + command("GET", "k"));
      yield* expectReply(sub, "+OK\r\n$1\r\nv\r\n", "normal commands work again");
    });
  });

  it("in subscriber mode: SUBSCRIBE again keeps the count, PING answers [pong, message], other commands are refused", async () => {
    await withClients(function* ({ connect }) {
      const sub = yield* connect();
      yield* send(sub, command("SUBSCRIBE", "a") + command("SUBSCRIBE", "a", "b") + command("PING") + command("PING", "hi") + command("GET", "k") + command("NOPE"));
      yield* expectReply(
        sub,
        reply(["subscribe", "a", 1]) +
          reply(["subscribe", "a", 1]) +
          reply(["subscribe", "b", 2]) +
          reply(["pong", ""]) +
          reply(["pong", "hi"]) +
          "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n" +
          "-ERR unknown command 'NOPE', with args beginning with: \r\n",
      );
      yield* send(sub, "!oops\r\n" + command("PING", "still subscribed"));
      yield* expectReply(
        sub,
        "-ERR Protocol error: invalid frame type byte '!'\r\n" + reply(["pong", "still subscribed"]),
        "malformed bytes in subscriber mode: an error reply, skipped, and the mode goes on",
      );
    });
  });

  it("messages of several channels come out fairly: round robin from the channel after the last one served", async () => {
    await withClients(function* ({ connect, db }) {
      const sub = yield* connect();
      yield* send(sub, command("SUBSCRIBE", "a", "b"));
      yield* expectReply(sub, reply(["subscribe", "a", 1]) + reply(["subscribe", "b", 2]));
      for (const m of ["a1", "a2", "a3"]) db.publish("a", new TextEncoder().encode(m));
      db.publish("b", new TextEncoder().encode("b1"));
      yield* expectReply(
        sub,
        reply(["message", "a", "a1"]) + reply(["message", "b", "b1"]) + reply(["message", "a", "a2"]) + reply(["message", "a", "a3"]),
      );
    });
  });

  it("a subscriber more than 1024 messages behind skips to the oldest one still held, with no error", async () => {
    await withClients(function* ({ connect, db }) {
      const sub = yield* connect();
      yield* send(sub, command("SUBSCRIBE", "firehose"));
      yield* expectReply(sub, reply(["subscribe", "firehose", 1]));
      for (let i = 0; i < 1030; i++) db.publish("firehose", new TextEncoder().encode(`m${i}`));
      yield* expectReply(sub, reply(["message", "firehose", "m6"]), "the first message still held");
      for (let i = 7; i < 1030; i++) yield* expectReply(sub, reply(["message", "firehose", `m${i}`]));
      yield* send(sub, command("PING"));
      yield* expectReply(sub, reply(["pong", ""]));
    });
  });

  it("a subscriber ends with its client, or with the shutdown token; its subscriptions go with it", async () => {
    const counts = await withClients(function* ({ connect, token, handlers, db }) {
      const a = yield* connect();
      const b = yield* connect();
      yield* send(a, command("SUBSCRIBE", "x"));
      yield* send(b, command("SUBSCRIBE", "x"));
      yield* expectReply(a, reply(["subscribe", "x", 1]));
      yield* expectReply(b, reply(["subscribe", "x", 1]));
      const enc = new TextEncoder();
      const both = db.publish("x", enc.encode("1"));
      yield* expectReply(a, reply(["message", "x", "1"]));
      a.close(); // nothing left unread: a clean close, not a reset
      yield* handlers[0]!;
      const one = db.publish("x", enc.encode("2"));
      yield* sleep(10);
      token.cancel();
      yield* handlers[1]!;
      return [both, one, db.publish("x", enc.encode("3"))];
    });
    expect(counts, "subscribers reached: both, then b, then none").toEqual([2, 1, 0]);
  });

  it("Subscriptions on its own: no channel at all gives [unsubscribe, null, 0]", async () => {
    await onRuntime(function* () {
      const db = new Db();
      using subs = new Subscriptions(db);
      expect(subs.unsubscribe([]), "subs.unsubscribe([])").toEqual([frame.array([frame.bulk("unsubscribe"), frame.NULL, frame.integer(0n)])]);
      expect(subs.subscribe("q")).toEqual(frame.array([frame.bulk("subscribe"), frame.bulk("q"), frame.integer(1n)]));
      expect([subs.size, subs.channels()]).toEqual([1, ["q"]]);
      db.shutdown();
    });
  });
});
