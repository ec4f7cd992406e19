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
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { asyncFn } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import type { SocketAddr } from "#kata/10-mio";
import type { TcpListener, TcpStream } from "#kata/11-io-driver";
import { now, sleepUntil } from "#kata/13-time";
import { JoinSet } from "#kata/17-broadcast-watch";
import type { CancellationToken } from "./cancellation-token.ts";
import { branch, select } from "./select.ts";

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

/** What woke the accept loop. */
type Event = { kind: "stop" } | Ended | { kind: "accepted"; stream: TcpStream; peer: SocketAddr };
/** A connection's task ended: its id, and whether its handler returned (true) or threw (false). */
type Ended = { kind: "ended"; id: number; ok: boolean };

/** Accepts connections until `shutdown` is cancelled, then drains them; see the module comment. */
export const serve = asyncFn(function* (listener: TcpListener, handler: ConnectionHandler, options: ServeOptions) {
  const { shutdown, graceMs } = options;
  using set = new JoinSet<boolean>();
  /** Task id -> peer, for the connections that have not ended. */
  const running = new Map<number, string>();
  const report: ShutdownReport = { accepted: 0, finished: 0, failed: 0, cutOff: [] };
  // `joinNextWithId` gives `undefined` only for an empty set, and its branches run only when the set is not empty.
  const ended = (joined: [number, boolean] | undefined): Ended => ({ kind: "ended", id: joined![0], ok: joined![1] });

  try {
    for (;;) {
      const event = yield* select<Event>(
        [
          branch(shutdown.cancelled(), () => ({ kind: "stop" })),
          branch(set.joinNextWithId(), ended, { if: !set.isEmpty() }),
          branch(listener.accept(), ([stream, peer]) => ({ kind: "accepted", stream, peer })),
        ],
        { biased: true },
      );
      if (event.kind === "stop") break;
      if (event.kind === "ended") {
        count(event);
        continue;
      }
      const token = shutdown.childToken();
      const abort = set.spawn(new ConnectionTask(event.stream, token, handler(event.stream, event.peer, token)));
      running.set(abort.id, event.peer.toString());
      abort[Symbol.dispose]();
      report.accepted++;
    }
  } finally {
    listener.close();
  }

  const deadline = now() + graceMs;
  while (!set.isEmpty()) {
    const event = yield* select<Ended | null>(
      [branch(set.joinNextWithId(), ended), branch(sleepUntil(deadline), () => null)],
      { biased: true },
    );
    if (event === null) break;
    count(event);
  }
  report.cutOff = [...running.values()];
  yield* set.shutdown();
  return report;

  function count(event: Ended): void {
    running.delete(event.id);
    if (event.ok) report.finished++;
    else report.failed++;
  }
});

/** A connection's task: runs the handler (true: it returned, false: it threw), then closes the stream. */
class ConnectionTask extends FutureBase<boolean> {
  #handler: Future<void> | null;

  constructor(
    readonly stream: TcpStream,
    readonly token: CancellationToken,
    handler: Future<void>,
  ) {
    super();
    this.#handler = handler;
  }

  poll(cx: Context): Poll<boolean> {
    const handler = this.#handler;
    if (handler === null) throw new Error("a connection task polled after completion");
    let ok = true;
    try {
      if (handler.poll(cx) === Pending) return Pending;
    } catch {
      ok = false;
    }
    this.#end(ok ? null : handler);
    return ok;
  }

  /** Closes the stream and drops the token, disposing `unfinished` first (the handler, if it did not return). */
  #end(unfinished: Future<void> | null): void {
    this.#handler = null;
    try {
      unfinished?.[Symbol.dispose]?.();
    } finally {
      this.stream.close();
      this.token[Symbol.dispose]();
    }
  }

  [Symbol.dispose](): void {
    if (this.#handler !== null) this.#end(this.#handler);
  }
}
