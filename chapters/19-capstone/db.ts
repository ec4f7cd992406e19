/**
 * The store (mini-redis's `db.rs`): keys to values with optional expiry, and the pub/sub channels.
 *
 *     const db = new Db();                         // inside a runtime with time enabled: starts the purge task
 *     db.set("k", bytes, 100);                     // expires 100 ms from now, on the runtime's clock
 *     db.get("k");                                 // the value; undefined once now() >= its deadline
 *     const rx = db.subscribe("news");             // a broadcast receiver (chapter 17)
 *     db.publish("news", bytes);                   // how many subscribers will see it
 *     db.shutdown();                               // stops the purge task (mini-redis's DbDropGuard)
 *
 * Expiry, as Redis does it, two ways at once:
 * - lazily: every read (`get`, `exists`, `del`, `incr`) treats an entry whose deadline has come
 *   (`now() >= expiresAt`) as absent, and removes it;
 * - actively: a background task (spawned by the constructor) sleeps until the earliest deadline, removes every entry
 *   that is due, and sleeps again. `set` wakes it (`Notify.notifyOne`) when the new deadline is earlier than every
 *   one it knows, so it never oversleeps; `shutdown()` wakes it to leave.
 *
 * A `set` replaces the value and the deadline (no deadline: the key stays until deleted); `incr` keeps the
 * deadline. Deadlines are kept in a list sorted by time, each entry remembered with its key; an entry whose key
 * was since overwritten or deleted is recognised (the key's current deadline differs) and skipped.
 *
 * Pub/sub: one broadcast channel of 1024 messages per channel name, made on the first `subscribe`. `publish` to a
 * channel without subscribers returns 0 and forgets the channel.
 *
 * Keys and channel names are strings holding one character per byte (latin1), so any byte sequence is a key.
 */
import type { broadcast } from "#kata/17-broadcast-watch";
import { todo } from "#kit/todo";

/** The capacity of each pub/sub channel (mini-redis: 1024). */
export const CHANNEL_CAPACITY = 1024;

export const NOT_AN_INTEGER = "ERR value is not an integer or out of range";
export const OVERFLOW = "ERR increment or decrement would overflow";

/** A command that cannot be carried out; the message is the RESP error to send back. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

export class Db {
  // Sketch: a Map from key to { value, expiresAt | null }; the deadlines sorted earliest first, each with its key;
  // a Map from channel name to a broadcast.Sender; a Notify for the purge task; a shutdown flag.

  /** Must run inside a runtime with time enabled: spawns the purge task. */
  constructor() {
    todo("19-capstone", "new Db");
  }

  /** Entries held: an expired one counts until it is read or purged. */
  size(): number {
    return todo("19-capstone", "Db.size");
  }

  get(key: string): Uint8Array | undefined {
    return todo("19-capstone", "Db.get");
  }

  /** Sets `key`; with `expireMs`, it expires that many ms from now (`now()` of chapter 13). */
  set(key: string, value: Uint8Array, expireMs?: number): void {
    return todo("19-capstone", "Db.set");
  }

  /** Removes the keys; how many existed. */
  del(keys: readonly string[]): number {
    return todo("19-capstone", "Db.del");
  }

  /** How many of the keys exist (a key named twice counts twice). */
  exists(keys: readonly string[]): number {
    return todo("19-capstone", "Db.exists");
  }

  /** Adds 1 to the integer at `key` (0 if absent) and returns it; keeps the deadline. Throws `CommandError`. */
  incr(key: string): bigint {
    return todo("19-capstone", "Db.incr");
  }

  /** A receiver of the messages published to `channel` from now on. */
  subscribe(channel: string): broadcast.Receiver<Uint8Array> {
    return todo("19-capstone", "Db.subscribe");
  }

  /** Sends `message` to the subscribers of `channel`; how many there are. */
  publish(channel: string, message: Uint8Array): number {
    return todo("19-capstone", "Db.publish");
  }

  /** Stops the purge task. */
  shutdown(): void {
    return todo("19-capstone", "Db.shutdown");
  }

  isShutdown(): boolean {
    return todo("19-capstone", "Db.isShutdown");
  }

  /** Removes every entry that is due; the next deadline, if any. */
  purgeExpiredKeys(): number | undefined {
    return todo("19-capstone", "Db.purgeExpiredKeys");
  }
}
