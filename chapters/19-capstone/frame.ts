/**
 * RESP2 frames (the Redis serialization protocol, version 2; mini-redis's `frame.rs`): parsing from a byte buffer
 * and encoding back to bytes.
 *
 *     +OK\r\n                       simple string        { type: "simple", value: "OK" }
 *     -ERR unknown command\r\n      error                { type: "error", value: "ERR unknown command" }
 *     :42\r\n                       integer (i64)        { type: "integer", value: 42n }
 *     $5\r\nhello\r\n               bulk string          { type: "bulk", value: bytes of "hello" }
 *     $-1\r\n  or  *-1\r\n          null                 { type: "null" }
 *     *2\r\n$3\r\nGET\r\n$1\r\nk\r\n  array of frames      { type: "array", value: [bulk GET, bulk k] }
 *
 * `parseFrame(buf)` reads one frame from the front of `buf`:
 * - a whole frame: `[frame, bytesUsed]`;
 * - not all of it has arrived yet: `undefined` (nothing is consumed; call again with more bytes);
 * - malformed: throws `ProtocolError`, but only once the offending line has arrived in full, so that the error can
 *   say how many bytes to skip (`skip`: through the CRLF that ends that line) for the connection to carry on.
 *
 * What is malformed (Redis's own messages, after "Protocol error: "): an unknown type byte ("invalid frame type
 * byte 'x'"); an integer, bulk length or array length that is not a base-10 integer ("invalid integer", "invalid
 * bulk length", "invalid multibulk length"), a negative length other than -1, a bulk longer than 512 MB or an array
 * longer than 1024 * 1024 elements (the same messages); a bulk not followed by CRLF ("expected CRLF after bulk
 * string"). Integers must fit in an i64. Lines end with CRLF; a bare LF is part of the line.
 *
 * `encodeFrame(frame)` writes the bytes of a frame; the null frame is written `$-1\r\n`. Simple strings and errors
 * must not contain CR or LF (throws a RangeError).
 */

import { todo } from "#kit/todo";

export type Frame =
  | { readonly type: "simple"; readonly value: string }
  | { readonly type: "error"; readonly value: string }
  | { readonly type: "integer"; readonly value: bigint }
  | { readonly type: "bulk"; readonly value: Uint8Array }
  | { readonly type: "null" }
  | { readonly type: "array"; readonly value: readonly Frame[] };

export class ProtocolError extends Error {
  override readonly name = "ProtocolError";

  constructor(
    /** What was wrong, without the "Protocol error: " prefix. */
    readonly reason: string,
    /** Bytes from the start of the buffer through the end of the offending line. */
    readonly skip: number,
  ) {
    super(`Protocol error: ${reason}`);
  }
}

/** The longest bulk string Redis accepts (`proto-max-bulk-len`). */
export const MAX_BULK_LENGTH = 512 * 1024 * 1024;
/** The most elements a request array may have (Redis's limit for clients). */
export const MAX_ARRAY_LENGTH = 1024 * 1024;

const text = new TextEncoder();

export const simple = (value: string): Frame => ({ type: "simple", value });
export const error = (value: string): Frame => ({ type: "error", value });
export const integer = (value: bigint | number): Frame => ({ type: "integer", value: BigInt(value) });
export const bulk = (value: Uint8Array | string): Frame => ({ type: "bulk", value: typeof value === "string" ? text.encode(value) : value });
export const NULL: Frame = Object.freeze({ type: "null" });
export const array = (value: readonly Frame[]): Frame => ({ type: "array", value });

/** One frame from the front of `buf`, with the bytes it used; undefined if it is incomplete. Throws `ProtocolError`. */
export function parseFrame(buf: Uint8Array): [Frame, number] | undefined {
  return todo("19-capstone", "parseFrame");
}

/** The bytes of `frame`. */
export function encodeFrame(frame: Frame): Uint8Array {
  return todo("19-capstone", "encodeFrame");
}
