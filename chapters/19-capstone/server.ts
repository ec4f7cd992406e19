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
import { asyncFn, type AsyncGen } from "#kata/02-state-machines";
import type { TcpListener } from "#kata/11-io-driver";
import type { CancellationToken } from "#kata/18-select-cancel";
import { todo } from "#kit/todo";

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

/** Accepts and serves connections until `options.shutdown` is cancelled, then drains them; see the module comment. */
export const runServer = asyncFn(function* (listener: TcpListener, options: ServerOptions): AsyncGen<ServerReport> {
  return todo("19-capstone", "runServer");
});
