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
import { asyncFn, type AsyncGen } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { now, sleepUntil } from "#kata/13-time";
import { Notify, broadcast } from "#kata/17-broadcast-watch";
import { branch, select } from "#kata/18-select-cancel";

/** The capacity of each pub/sub channel (mini-redis: 1024). */
export const CHANNEL_CAPACITY = 1024;

export const NOT_AN_INTEGER = "ERR value is not an integer or out of range";
export const OVERFLOW = "ERR increment or decrement would overflow";

/** A command that cannot be carried out; the message is the RESP error to send back. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

interface Entry {
  value: Uint8Array;
  expiresAt: number | null;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const CANONICAL_INTEGER = /^(0|-?[1-9]\d*)$/;

export class Db {
  readonly #entries = new Map<string, Entry>();
  /** Deadlines, earliest first. */
  readonly #expirations: { at: number; key: string }[] = [];
  readonly #channels = new Map<string, broadcast.Sender<Uint8Array>>();
  readonly #background = new Notify();
  #shutdown = false;

  constructor() {
    spawn(purgeExpiredKeys(this, this.#background));
  }

  /** Entries held: an expired one counts until it is read or purged. */
  size(): number {
    return this.#entries.size;
  }

  get(key: string): Uint8Array | undefined {
    return this.#live(key)?.value;
  }

  /** Sets `key`; with `expireMs`, it expires that many ms from now. */
  set(key: string, value: Uint8Array, expireMs?: number): void {
    const expiresAt = expireMs === undefined ? null : now() + expireMs;
    this.#entries.set(key, { value, expiresAt });
    if (expiresAt === null) return;
    const first = this.#expirations[0];
    this.#insertExpiration(expiresAt, key);
    if (first === undefined || expiresAt < first.at) this.#background.notifyOne();
  }

  /** Removes the keys; how many existed. */
  del(keys: readonly string[]): number {
    let n = 0;
    for (const key of keys) if (this.#live(key) !== undefined && this.#entries.delete(key)) n++;
    return n;
  }

  /** How many of the keys exist (a key named twice counts twice). */
  exists(keys: readonly string[]): number {
    let n = 0;
    for (const key of keys) if (this.#live(key) !== undefined) n++;
    return n;
  }

  /** Adds 1 to the integer at `key` (0 if absent) and returns it; keeps the deadline. */
  incr(key: string): bigint {
    const entry = this.#live(key);
    let n = 0n;
    if (entry !== undefined) {
      const text = Buffer.from(entry.value).toString("latin1");
      if (!CANONICAL_INTEGER.test(text)) throw new CommandError(NOT_AN_INTEGER);
      n = BigInt(text);
      if (n < I64_MIN || n > I64_MAX) throw new CommandError(NOT_AN_INTEGER);
    }
    if (n === I64_MAX) throw new CommandError(OVERFLOW);
    n++;
    const value = new TextEncoder().encode(n.toString());
    if (entry === undefined) this.#entries.set(key, { value, expiresAt: null });
    else entry.value = value;
    return n;
  }

  /** A receiver of the messages published to `channel` from now on. */
  subscribe(channel: string): broadcast.Receiver<Uint8Array> {
    let tx = this.#channels.get(channel);
    if (tx === undefined) {
      tx = broadcast.Sender.new<Uint8Array>(CHANNEL_CAPACITY);
      this.#channels.set(channel, tx);
    }
    return tx.subscribe();
  }

  /** Sends `message` to the subscribers of `channel`; how many there are. */
  publish(channel: string, message: Uint8Array): number {
    const tx = this.#channels.get(channel);
    if (tx === undefined) return 0;
    try {
      return tx.send(message);
    } catch (e) {
      if (!(e instanceof broadcast.SendError)) throw e;
      this.#channels.delete(channel);
      tx[Symbol.dispose]();
      return 0;
    }
  }

  /** Stops the purge task. */
  shutdown(): void {
    this.#shutdown = true;
    this.#background.notifyOne();
  }

  isShutdown(): boolean {
    return this.#shutdown;
  }

  /** Removes every entry that is due; the next deadline, if any. */
  purgeExpiredKeys(): number | undefined {
    const t = now();
    const list = this.#expirations;
    let due = 0;
    while (due < list.length && list[due]!.at <= t) {
      const { at, key } = list[due]!;
      if (this.#entries.get(key)?.expiresAt === at) this.#entries.delete(key);
      due++;
    }
    list.splice(0, due);
    return list[0]?.at;
  }

  /** The entry at `key`, unless it is absent or due (then it is removed). */
  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #insertExpiration(at: number, key: string): void {
    const list = this.#expirations;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (list[mid]!.at <= at) low = mid + 1;
      else high = mid;
    }
    list.splice(low, 0, { at, key });
  }
}

/** The background task: purge what is due, then sleep until the next deadline or a notification. */
const purgeExpiredKeys = asyncFn(function* (db: Db, notify: Notify): AsyncGen<void> {
  while (!db.isShutdown()) {
    const next = db.purgeExpiredKeys();
    if (next === undefined) yield* notify.notified();
    else yield* select([branch(sleepUntil(next), () => {}), branch(notify.notified(), () => {})], { biased: true });
  }
});
