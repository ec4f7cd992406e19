/**
 * Pub/sub (mini-redis's `cmd/subscribe.rs`): a connection in subscriber mode.
 *
 *     client: SUBSCRIBE news weather      server: *3 $9 subscribe $4 news :1
 *                                                 *3 $9 subscribe $7 weather :2
 *     (someone: PUBLISH news hi)                  *3 $7 message $4 news $2 hi
 *     client: UNSUBSCRIBE news                    *3 $11 unsubscribe $4 news :1
 *     client: UNSUBSCRIBE                         *3 $11 unsubscribe $7 weather :0   (back to normal mode)
 *
 * `Subscriptions` holds one broadcast receiver per channel, in the order they were subscribed:
 * - `subscribe(channel)`: a receiver from the store, unless already subscribed; the reply counts the channels;
 * - `unsubscribe(channels)`: drops those (all, in subscription order, when none are named); one reply per channel
 *   named (subscribed or not), or per channel dropped; with no channel at all: `["unsubscribe", null, 0]`;
 * - `next()`: a future of the next message from any of them, `[channel, payload]`. Each poll goes round the
 *   subscriptions starting one further than the last one that gave a message (fairness), polling each one's pending
 *   receive. A receiver that lagged (more than 1024 messages behind) goes on from the oldest message still held:
 *   Redis has no notion of lag. Cancel-safe: the pending receives belong to the subscriptions, not to the future.
 *
 * `subscriberMode(conn, db, channels, shutdown)` subscribes to `channels`, then loops on a biased `select`:
 * shutdown (return "closed"), a frame from the client, a message (write it). Allowed frames: SUBSCRIBE,
 * UNSUBSCRIBE (when the count drops to 0: return "unsubscribed", the connection is back in normal mode), PING
 * (`["pong", message or ""]`); any other command gets
 * `ERR Can't execute '<name>': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
 * a malformed frame or command gets its error. The end of the stream returns "closed". The receivers are
 * dropped however it ends.
 */
import type { Future, Poll } from "#kata/01-poll";
import { asyncFn, type AsyncGen } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import type { CancellationToken } from "#kata/18-select-cancel";
import { todo } from "#kit/todo";
import type { Connection } from "./connection.ts";
import type { Db } from "./db.ts";
import type { Frame } from "./frame.ts";

export class Subscriptions implements Disposable {
  // Sketch: a Map from channel to { rx: broadcast.Receiver<Uint8Array>, recv: its pending receive or null },
  // in subscription order; where the next round of `pollNext` starts.

  constructor(readonly db: Db) {}

  /** Channels subscribed. */
  get size(): number {
    return todo("19-capstone", "Subscriptions.size");
  }

  /** The channels, in subscription order. */
  channels(): string[] {
    return todo("19-capstone", "Subscriptions.channels");
  }

  /** Subscribes (unless already); the reply `["subscribe", channel, count]`. */
  subscribe(channel: string): Frame {
    return todo("19-capstone", "Subscriptions.subscribe");
  }

  /** Unsubscribes; one reply `["unsubscribe", channel, count]` per channel (see the module comment). */
  unsubscribe(channels: readonly string[]): Frame[] {
    return todo("19-capstone", "Subscriptions.unsubscribe");
  }

  /** A future of the next message from any subscription: `[channel, payload]`. */
  next(): Future<[string, Uint8Array]> {
    return todo("19-capstone", "Subscriptions.next");
  }

  /** One poll of `next()`. */
  pollNext(cx: Context): Poll<[string, Uint8Array]> {
    return todo("19-capstone", "Subscriptions.pollNext");
  }

  /** Drops every receiver (and its pending receive). */
  [Symbol.dispose](): void {
    todo("19-capstone", "Subscriptions[Symbol.dispose]");
  }
}

/** Serves a connection in subscriber mode until it unsubscribes from everything ("unsubscribed") or ends ("closed"). */
export const subscriberMode = asyncFn(function* (
  conn: Connection,
  db: Db,
  channels: readonly string[],
  shutdown: CancellationToken,
): AsyncGen<"closed" | "unsubscribed"> {
  return todo("19-capstone", "subscriberMode");
});
