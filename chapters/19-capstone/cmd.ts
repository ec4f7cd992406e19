/**
 * The command table (mini-redis's `cmd/` and `parse.rs`): from a request frame to a `Command`, and from a command
 * to its reply.
 *
 *     parseCommand(*3 $3 SET $1 k $1 v)  ─▶ { name: "set", key: "k", value: v, expireMs: undefined }
 *     apply({ name: "get", key: "k" }, db) ─▶ $1 v        (or $-1 when absent)
 *
 * A request is an array of bulk strings, the first being the command's name in any case. `parseCommand` throws a
 * `CommandError` whose message is the error to send back (Redis's words):
 *
 *     not an array of bulk strings      ERR Protocol error: expected an array of bulk strings
 *     unknown name                      ERR unknown command 'foo', with args beginning with: 'a' 'b'  (each arg: 'x' and a space)
 *     wrong number of arguments         ERR wrong number of arguments for 'get' command   (the name in lower case)
 *     SET with an option it does not know, or two of EX/PX   ERR syntax error
 *     SET EX/PX not an integer          ERR value is not an integer or out of range
 *     SET EX/PX <= 0 (or past 2^53 ms)  ERR invalid expire time in 'set' command
 *
 *     command                           reply (apply)
 *     PING [message]                    +PONG, or the message as a bulk string
 *     ECHO message                      the message as a bulk string
 *     GET key                           the value, or null
 *     SET key value [EX s | PX ms]      +OK
 *     DEL key [key ...]                 :how many existed
 *     EXISTS key [key ...]              :how many exist
 *     INCR key                          :the new value (errors from the store: not an integer, overflow)
 *     PUBLISH channel message           :how many subscribers got it
 *     SUBSCRIBE channel [channel ...]   (the connection's business, Task 9)
 *     UNSUBSCRIBE [channel ...]         (idem)
 *
 * An empty array is no command at all: `parseCommand` returns null and the connection sends nothing, as Redis does.
 */
import { todo } from "#kit/todo";
import { CommandError, type Db } from "./db.ts";
import type { Frame } from "./frame.ts";

export type Command =
  | { readonly name: "ping"; readonly message: Uint8Array | undefined }
  | { readonly name: "echo"; readonly message: Uint8Array }
  | { readonly name: "get"; readonly key: string }
  | { readonly name: "set"; readonly key: string; readonly value: Uint8Array; readonly expireMs: number | undefined }
  | { readonly name: "del"; readonly keys: readonly string[] }
  | { readonly name: "exists"; readonly keys: readonly string[] }
  | { readonly name: "incr"; readonly key: string }
  | { readonly name: "publish"; readonly channel: string; readonly message: Uint8Array }
  | { readonly name: "subscribe"; readonly channels: readonly string[] }
  | { readonly name: "unsubscribe"; readonly channels: readonly string[] };

/** V8 keeps a typed array of up to 64 bytes inside its own heap, without an `ArrayBuffer`. */
const SHORT_KEY = 64;

/**
 * A key or channel name from its bytes: one character per byte. A short one (the usual) is made by one
 * `String.fromCharCode` call with the bytes as its arguments: its bytes were just sliced off the read buffer, and
 * reading `.buffer` of such a small array makes V8 create the `ArrayBuffer` then, at ten times the cost of
 * allocating the array (measured: 25 ns, and 250 more). Adding a character at a time would build a chain of
 * partial strings that the store's `Map` flattens again to hash it: a 16-byte key and its `Map.set` cost 300 ns
 * so, 160 this way.
 */
export function keyOf(bytes: Uint8Array): string {
  if (bytes.length > SHORT_KEY) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return Reflect.apply(String.fromCharCode, null, bytes) as string;
}

/** The bytes of a key or channel name. */
export function keyBytes(key: string): Uint8Array {
  return new Uint8Array(Buffer.from(key, "latin1"));
}

export function wrongArity(name: string): CommandError {
  return new CommandError(`ERR wrong number of arguments for '${name}' command`);
}

/** The command a request frame asks for; null for an empty array. Throws `CommandError`. */
export function parseCommand(frame: Frame): Command | null {
  return todo("19-capstone", "parseCommand");
}

/** Carries out a command on the store and returns its reply; SUBSCRIBE and UNSUBSCRIBE are not for this. */
export function apply(cmd: Command, db: Db): Frame {
  return todo("19-capstone", "apply");
}
