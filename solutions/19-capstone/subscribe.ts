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
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { asyncFn, type AsyncGen } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import { broadcast } from "#kata/17-broadcast-watch";
import { branch, select, type CancellationToken } from "#kata/18-select-cancel";
import { keyBytes, parseCommand } from "./cmd.ts";
import type { Connection } from "./connection.ts";
import { CommandError, type Db } from "./db.ts";
import { NULL, ProtocolError, array, bulk, error, integer, type Frame } from "./frame.ts";

interface Subscription {
  readonly rx: broadcast.Receiver<Uint8Array>;
  recv: Future<Uint8Array> | null;
}

export class Subscriptions implements Disposable {
  readonly #subs = new Map<string, Subscription>();
  /** Where the next round of `next()` starts. */
  #start = 0;

  constructor(readonly db: Db) {}

  get size(): number {
    return this.#subs.size;
  }

  channels(): string[] {
    return [...this.#subs.keys()];
  }

  subscribe(channel: string): Frame {
    if (!this.#subs.has(channel)) this.#subs.set(channel, { rx: this.db.subscribe(channel), recv: null });
    return array([bulk("subscribe"), bulk(keyBytes(channel)), integer(this.#subs.size)]);
  }

  unsubscribe(channels: readonly string[]): Frame[] {
    const names = channels.length > 0 ? channels : this.channels();
    if (names.length === 0) return [array([bulk("unsubscribe"), NULL, integer(0)])];
    return names.map((channel) => {
      const sub = this.#subs.get(channel);
      if (sub !== undefined) {
        this.#subs.delete(channel);
        drop(sub);
      }
      return array([bulk("unsubscribe"), bulk(keyBytes(channel)), integer(this.#subs.size)]);
    });
  }

  next(): Future<[string, Uint8Array]> {
    return new NextMessage(this);
  }

  pollNext(cx: Context): Poll<[string, Uint8Array]> {
    const subs = [...this.#subs];
    for (let i = 0; i < subs.length; i++) {
      const at = (this.#start + i) % subs.length;
      const [channel, sub] = subs[at]!;
      for (;;) {
        sub.recv ??= sub.rx.recv();
        let out: Poll<Uint8Array>;
        try {
          out = sub.recv.poll(cx);
        } catch (e) {
          sub.recv = null;
          if (e instanceof broadcast.RecvError && e.kind === "lagged") continue;
          throw e;
        }
        if (out === Pending) break;
        sub.recv = null;
        this.#start = at + 1;
        return [channel, out];
      }
    }
    return Pending;
  }

  [Symbol.dispose](): void {
    for (const sub of this.#subs.values()) drop(sub);
    this.#subs.clear();
  }
}

function drop(sub: Subscription): void {
  sub.recv?.[Symbol.dispose]?.();
  sub.recv = null;
  sub.rx[Symbol.dispose]();
}

class NextMessage extends FutureBase<[string, Uint8Array]> {
  constructor(readonly subs: Subscriptions) {
    super();
  }

  poll(cx: Context): Poll<[string, Uint8Array]> {
    return this.subs.pollNext(cx);
  }
}

type Event =
  | { kind: "stop" }
  | { kind: "frame"; frame: Frame | undefined }
  | { kind: "message"; channel: string; payload: Uint8Array };

/** Serves a connection in subscriber mode until it unsubscribes from everything ("unsubscribed") or ends ("closed"). */
export const subscriberMode = asyncFn(function* (
  conn: Connection,
  db: Db,
  channels: readonly string[],
  shutdown: CancellationToken,
): AsyncGen<"closed" | "unsubscribed"> {
  using subs = new Subscriptions(db);
  for (const channel of channels) yield* conn.writeFrame(subs.subscribe(channel));
  for (;;) {
    let event: Event;
    try {
      event = yield* select<Event>(
        [
          branch(shutdown.cancelled(), () => ({ kind: "stop" })),
          branch(conn.readFrame(), (frame) => ({ kind: "frame", frame })),
          branch(subs.next(), ([channel, payload]) => ({ kind: "message", channel, payload })),
        ],
        { biased: true },
      );
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      yield* conn.writeFrame(error(`ERR ${e.message}`));
      continue;
    }
    if (event.kind === "stop") return "closed";
    if (event.kind === "message") {
      yield* conn.writeFrame(array([bulk("message"), bulk(keyBytes(event.channel)), bulk(event.payload)]));
      continue;
    }
    if (event.frame === undefined) return "closed";
    let replies: Frame[];
    try {
      const cmd = parseCommand(event.frame);
      if (cmd === null) continue;
      switch (cmd.name) {
        case "subscribe":
          replies = cmd.channels.map((c) => subs.subscribe(c));
          break;
        case "unsubscribe":
          replies = subs.unsubscribe(cmd.channels);
          break;
        case "ping":
          replies = [array([bulk("pong"), bulk(cmd.message ?? "")])];
          break;
        default:
          replies = [
            error(`ERR Can't execute '${cmd.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`),
          ];
      }
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      replies = [error(e.message)];
    }
    for (const reply of replies) yield* conn.writeFrame(reply);
    if (subs.size === 0) return "unsubscribed";
  }
});
