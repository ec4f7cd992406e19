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

const CR = 0x0d;
const LF = 0x0a;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const text = new TextEncoder();
const utf8 = new TextDecoder();

export const simple = (value: string): Frame => ({ type: "simple", value });
export const error = (value: string): Frame => ({ type: "error", value });
export const integer = (value: bigint | number): Frame => ({ type: "integer", value: BigInt(value) });
export const bulk = (value: Uint8Array | string): Frame => ({ type: "bulk", value: typeof value === "string" ? text.encode(value) : value });
export const NULL: Frame = Object.freeze({ type: "null" });
export const array = (value: readonly Frame[]): Frame => ({ type: "array", value });

/** One frame from the front of `buf`, with the bytes it used; undefined if it is incomplete. */
export function parseFrame(buf: Uint8Array): [Frame, number] | undefined {
  const end = new Parser(buf).frame(0);
  return end === undefined ? undefined : [end.frame, end.next];
}

interface Parsed {
  frame: Frame;
  next: number;
}

class Parser {
  constructor(readonly buf: Uint8Array) {}

  /** The frame starting at `at`, or undefined if the buffer ends first. */
  frame(at: number): Parsed | undefined {
    const line = this.line(at);
    if (line === undefined) return undefined;
    const [body, next] = line;
    const type = this.buf[at]!;
    switch (type) {
      case 0x2b: // '+'
        return { frame: simple(this.text(body, next - 2)), next };
      case 0x2d: // '-'
        return { frame: error(this.text(body, next - 2)), next };
      case 0x3a: // ':'
        return { frame: integer(this.integer(body, next - 2, next, "invalid integer")), next };
      case 0x24: // '$'
        return this.bulk(body, next);
      case 0x2a: // '*'
        return this.array(body, next);
      default:
        throw new ProtocolError(`invalid frame type byte '${String.fromCharCode(type)}'`, next);
    }
  }

  /** The line at `at` (type byte included): [index after the type byte, index after its CRLF]; undefined if no CRLF yet. */
  line(at: number): [number, number] | undefined {
    const buf = this.buf;
    for (let i = at + 1; i < buf.length; i++) {
      if (buf[i] === LF && buf[i - 1] === CR) return [at + 1, i + 1];
    }
    return undefined;
  }

  text(from: number, to: number): string {
    return utf8.decode(this.buf.subarray(from, to));
  }

  integer(from: number, to: number, skip: number, reason: string): bigint {
    const digits = this.text(from, to);
    if (!/^-?\d+$/.test(digits)) throw new ProtocolError(reason, skip);
    const n = BigInt(digits);
    if (n < I64_MIN || n > I64_MAX) throw new ProtocolError(reason, skip);
    return n;
  }

  length(from: number, to: number, skip: number, reason: string, max: number): number {
    const n = this.integer(from, to, skip, reason);
    if (n < -1n || n > BigInt(max)) throw new ProtocolError(reason, skip);
    return Number(n);
  }

  bulk(body: number, next: number): Parsed | undefined {
    const len = this.length(body, next - 2, next, "invalid bulk length", MAX_BULK_LENGTH);
    if (len === -1) return { frame: NULL, next };
    const buf = this.buf;
    const end = next + len;
    if (buf.length < end + 2) {
      // Incomplete, unless what follows the payload has already shown it is malformed.
      if (buf.length > end && buf[end] !== CR) return this.badBulkEnd(end);
      if (buf.length > end + 1 && buf[end + 1] !== LF) return this.badBulkEnd(end);
      return undefined;
    }
    if (buf[end] !== CR || buf[end + 1] !== LF) return this.badBulkEnd(end);
    return { frame: bulk(buf.slice(next, end)), next: end + 2 };
  }

  /** A bulk without its CRLF: wait for the end of the line it runs into, then report it. */
  badBulkEnd(end: number): undefined {
    const line = this.line(end - 1);
    if (line === undefined) return undefined;
    throw new ProtocolError("expected CRLF after bulk string", line[1]);
  }

  array(body: number, next: number): Parsed | undefined {
    const len = this.length(body, next - 2, next, "invalid multibulk length", MAX_ARRAY_LENGTH);
    if (len === -1) return { frame: NULL, next };
    const items: Frame[] = [];
    let at = next;
    for (let i = 0; i < len; i++) {
      const item = this.frame(at);
      if (item === undefined) return undefined;
      items.push(item.frame);
      at = item.next;
    }
    return { frame: array(items), next: at };
  }
}

/** The bytes of `frame`. */
export function encodeFrame(frame: Frame): Uint8Array {
  const parts: Uint8Array[] = [];
  encodeInto(frame, parts);
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function encodeInto(frame: Frame, parts: Uint8Array[]): void {
  switch (frame.type) {
    case "simple":
    case "error":
      if (/[\r\n]/.test(frame.value)) throw new RangeError(`a ${frame.type} frame cannot contain CR or LF: ${JSON.stringify(frame.value)}`);
      parts.push(text.encode(`${frame.type === "simple" ? "+" : "-"}${frame.value}\r\n`));
      return;
    case "integer":
      parts.push(text.encode(`:${frame.value}\r\n`));
      return;
    case "bulk":
      parts.push(text.encode(`$${frame.value.length}\r\n`), frame.value, CRLF);
      return;
    case "null":
      parts.push(text.encode("$-1\r\n"));
      return;
    case "array":
      parts.push(text.encode(`*${frame.value.length}\r\n`));
      for (const item of frame.value) encodeInto(item, parts);
      return;
  }
}

const CRLF = new Uint8Array([CR, LF]);
