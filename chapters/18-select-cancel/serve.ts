/**
 * `serve`: an accept loop with a graceful shutdown (mini-redis's `server::run`, with a deadline).
 *
 *     const shutdown = new CancellationToken();
 *     const report = yield* serve(listener, handleConnection, { shutdown, graceMs: 5_000 });
 *     // elsewhere: shutdown.cancel()  (a signal, an admin command, a test)
 *
 *   running   select, biased:  shutdown.cancelled()             -> stop accepting
 *                              set.joinNextWithId(), if any     -> a connection ended: count it
 *                              listener.accept()                -> spawn its task into the set
 *   draining  the listener is closed (new connections are refused); the handlers' tokens, children of `shutdown`,
 *             are cancelled too, so handlers that watch theirs wind down; wait for the set to empty, until
 *             `graceMs` after the shutdown was seen
 *   deadline  whatever still runs is cut off: aborted (`JoinSet.shutdown`) and reported by peer address
 *
 * Each connection is a task in a `JoinSet` (chapter 17), so the server can reap connections as they end and abort
 * the ones left at the deadline. A connection's task owns its stream and its token (a child of `shutdown`): it
 * closes the one and drops the other however it ends, returned, threw, or aborted before it ever ran. JavaScript
 * will not drop them for us (in Rust the task's future owns both, and dropping it drops them).
 *
 * Invariants: every accepted connection is counted once: finished (its handler returned), failed (it threw) or cut
 * off (still running at the deadline); nothing is accepted once the shutdown has been seen; `serve` completes only
 * when no connection task is left, and the listener is closed whenever `serve` ends.
 *
 * Task 6 of the lesson (the types are given).
 */
import type { Future } from "#kata/01-poll";
import { asyncFn, type AsyncGen } from "#kata/02-state-machines";
import type { SocketAddr } from "#kata/10-mio";
import type { TcpListener, TcpStream } from "#kata/11-io-driver";
import { todo } from "#kit/todo";
import type { CancellationToken } from "./cancellation-token.ts";

/** Serves one connection; `shutdown` is cancelled when the server begins to shut down. The stream is borrowed. */
export type ConnectionHandler = (stream: TcpStream, peer: SocketAddr, shutdown: CancellationToken) => Future<void>;

export interface ServeOptions {
  /** Cancel it to shut the server down. */
  shutdown: CancellationToken;
  /** How long the connections may take to finish once the shutdown was seen, in ms of the runtime's clock. */
  graceMs: number;
}

export interface ShutdownReport {
  /** Connections accepted. */
  accepted: number;
  /** Connections whose handler returned. */
  finished: number;
  /** Connections whose handler threw. */
  failed: number;
  /** The peers (`SocketAddr.toString()`) of the connections still running at the deadline, in accept order. */
  cutOff: string[];
}

/**
 * Accepts connections until `shutdown` is cancelled, then drains them; see the module comment. An async function
 * (chapter 02's `asyncFn`); a connection's task is a future of a class of your own that owns the stream and the
 * token: it polls the handler (`true` if it returned, `false` if it threw) and closes the stream and disposes the
 * token when it ends, or when it is disposed (aborted).
 */
export const serve = asyncFn(function* (
  listener: TcpListener,
  handler: ConnectionHandler,
  options: ServeOptions,
): AsyncGen<ShutdownReport> {
  return todo("18-select-cancel", "serve");
});
