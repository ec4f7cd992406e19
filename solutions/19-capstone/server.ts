/**
 * The server (mini-redis's `server.rs` `run` and `Listener`): accept connections, at most `maxConnections` at a
 * time, until the shutdown token is cancelled; then wait for the connections to finish.
 *
 *     const shutdown = new CancellationToken();
 *     const listener = yield* TcpListener.bind("127.0.0.1:6379");
 *     spawn(runServer(listener, { shutdown }));         // later: shutdown.cancel()
 *
 *     running    select, biased:  shutdown cancelled                          -> stop accepting
 *                                 a connection task ended (if any running)    -> reap it
 *                                 a permit of the limit (if none in hand)     -> keep it
 *                                 a connection (once a permit is in hand)     -> spawn its task with the permit
 *     draining   the listener is closed; the connections' tokens are children of `shutdown`, so their handlers
 *                return after the command in progress; wait until every connection task has ended
 *     done       stop the store's purge task; the report says how many connections were served
 *
 * The limit is a `Semaphore` of `maxConnections` permits (default 250, mini-redis's `MAX_CONNECTIONS`): a permit is
 * taken *before* accepting, so the 251st client waits in the listen backlog, not in our memory. Each connection
 * task owns its stream, its permit and its token: when it ends, however it ends (returned, threw, or was dropped
 * before it ever ran), it closes the stream and gives the permit back. A handler that throws (a reset, a peer gone
 * mid-frame) ends its own connection only.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { asyncFn, type AsyncGen } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import type { TcpListener, TcpStream } from "#kata/11-io-driver";
import { Semaphore, type SemaphorePermit } from "#kata/16-channels";
import { JoinSet } from "#kata/17-broadcast-watch";
import { branch, select, type CancellationToken } from "#kata/18-select-cancel";
import { Db } from "./db.ts";
import { handleConnection } from "./handler.ts";

/** mini-redis's `MAX_CONNECTIONS`. */
export const MAX_CONNECTIONS = 250;

export interface ServerOptions {
  /** Cancel it to shut the server down. */
  shutdown: CancellationToken;
  /** Connections served at once; default 250. */
  maxConnections?: number;
}

export interface ServerReport {
  /** Connections accepted and served. */
  connections: number;
}

type Event =
  | { kind: "stop" }
  | { kind: "reaped" }
  | { kind: "permit"; permit: SemaphorePermit }
  | { kind: "accepted"; stream: TcpStream };

export const runServer = asyncFn(function* (listener: TcpListener, options: ServerOptions): AsyncGen<ServerReport> {
  const { shutdown } = options;
  const limit = new Semaphore(options.maxConnections ?? MAX_CONNECTIONS);
  const db = new Db();
  using set = new JoinSet<void>();
  const report: ServerReport = { connections: 0 };
  let permit: SemaphorePermit | null = null;
  try {
    for (;;) {
      const event: Event = yield* select<Event>(
        [
          branch(shutdown.cancelled(), () => ({ kind: "stop" })),
          branch(set.joinNext(), () => ({ kind: "reaped" }), { if: !set.isEmpty() }),
          branch(limit.acquire(), (p) => ({ kind: "permit", permit: p }), { if: permit === null }),
          branch(listener.accept(), ([stream]) => ({ kind: "accepted", stream }), { if: permit !== null }),
        ],
        { biased: true },
      );
      if (event.kind === "stop") break;
      if (event.kind === "permit") permit = event.permit;
      if (event.kind !== "accepted") continue;
      set.spawn(new ConnectionTask(event.stream, permit!, shutdown.childToken(), db));
      permit = null;
      report.connections++;
    }
  } finally {
    listener.close();
    permit?.[Symbol.dispose]();
  }
  while (!set.isEmpty()) yield* set.joinNext();
  db.shutdown();
  return report;
});

/** A connection's task: runs its handler, then closes the stream and releases the permit and the token. */
class ConnectionTask extends FutureBase<void> {
  readonly #handler: Future<void>;
  #done = false;

  constructor(
    readonly stream: TcpStream,
    readonly permit: SemaphorePermit,
    readonly token: CancellationToken,
    db: Db,
  ) {
    super();
    this.#handler = handleConnection(stream, db, token);
  }

  poll(cx: Context): Poll<void> {
    try {
      if (this.#handler.poll(cx) === Pending) return Pending;
    } catch {
      // The connection failed (reset, gone mid-frame); it ends here, the server goes on.
    }
    this.#end();
    return undefined;
  }

  [Symbol.dispose](): void {
    if (this.#done) return;
    this.#handler[Symbol.dispose]?.();
    this.#end();
  }

  #end(): void {
    this.#done = true;
    this.stream.close();
    this.permit[Symbol.dispose]();
    this.token[Symbol.dispose]();
  }
}
