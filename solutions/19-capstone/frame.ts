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
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
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

/**
 * Every index is from the start of the buffer. A line starts with its type byte at `at`; its body runs from
 * `at + 1` to the CRLF, and `next` is the index just after the CRLF. Lengths (every element of every request has
 * one) are read straight from the bytes, without a string, a regex or a BigInt: those are for `:` integers only.
 */
class Parser {
  constructor(readonly buf: Uint8Array) {}

  /** The frame starting at `at`, or undefined if the buffer ends first. */
  frame(at: number): Parsed | undefined {
    const next = this.lineEnd(at);
    if (next === undefined) return undefined;
    const body = at + 1;
    const type = this.buf[at]!;
    switch (type) {
      case 0x2b: // '+'
        return { frame: simple(this.text(body, next - 2)), next };
      case 0x2d: // '-'
        return { frame: error(this.text(body, next - 2)), next };
      case 0x3a: // ':'
        return { frame: integer(this.integer(body, next)), next };
      case 0x24: // '$'
        return this.bulk(this.length(body, next, "invalid bulk length", MAX_BULK_LENGTH), next);
      case 0x2a: // '*'
        return this.array(this.length(body, next, "invalid multibulk length", MAX_ARRAY_LENGTH), next);
      default:
        throw new ProtocolError(`invalid frame type byte '${String.fromCharCode(type)}'`, next);
    }
  }

  /** The index just after the first CRLF from `at + 1` on; undefined if there is none yet. */
  lineEnd(at: number): number | undefined {
    const buf = this.buf;
    for (let i = at + 1; i < buf.length; i++) {
      if (buf[i] === LF && buf[i - 1] === CR) return i + 1;
    }
    return undefined;
  }

  text(from: number, to: number): string {
    return utf8.decode(this.buf.subarray(from, to));
  }

  /** A `:` integer: an i64 in base 10. */
  integer(body: number, next: number): bigint {
    const digits = this.text(body, next - 2);
    const n = /^-?\d+$/.test(digits) ? BigInt(digits) : undefined;
    if (n === undefined || n < I64_MIN || n > I64_MAX) throw new ProtocolError("invalid integer", next);
    return n;
  }

  /** A bulk or array length: base-10 digits, from -1 to `max`. */
  length(body: number, next: number, reason: string, max: number): number {
    const buf = this.buf;
    const negative = buf[body] === MINUS;
    const from = negative ? body + 1 : body;
    const to = next - 2;
    if (from === to) throw new ProtocolError(reason, next);
    let n = 0;
    for (let i = from; i < to; i++) {
      const digit = buf[i]! - DIGIT_0;
      if (!(digit >= 0 && digit <= 9)) throw new ProtocolError(reason, next);
      n = n * 10 + digit; // a long run of digits loses precision, but stays above max: refused all the same
    }
    if (negative ? n > 1 : n > max) throw new ProtocolError(reason, next);
    return negative ? 0 - n : n;
  }

  bulk(len: number, next: number): Parsed | undefined {
    if (len === -1) return { frame: NULL, next };
    const buf = this.buf;
    const end = next + len;
    // Past the end of `buf` these bytes are undefined: `badBulkEnd` then waits, as the line is not complete yet.
    if (buf[end] !== CR || buf[end + 1] !== LF) return this.badBulkEnd(end);
    return { frame: bulk(buf.slice(next, end)), next: end + 2 };
  }

  /**
   * A bulk not followed by CRLF, or not yet: wait for the end of the line the payload runs into (none yet: the bulk
   * may still be incomplete), then report it.
   */
  badBulkEnd(end: number): undefined {
    const next = this.lineEnd(end - 1);
    if (next === undefined) return undefined;
    throw new ProtocolError("expected CRLF after bulk string", next);
  }

  array(len: number, next: number): Parsed | undefined {
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

/**
 * The bytes of `frame`, measured first and then written into one array of exactly that size. Three times faster
 * than gathering encoded parts and joining them (measured: 150 ns against 480 for `+OK` or a 3-byte bulk): a
 * `TextEncoder.encode` costs about 300 ns, and so does the first `subarray` of a small array just allocated (see
 * `keyOf` in cmd.ts).
 */
export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(encodedLength(frame));
  writeFrame(frame, out, 0);
  return out;
}

/** The line a simple string, error, integer or null is written as; for a bulk or an array, its header line. */
function line(frame: Frame): string {
  switch (frame.type) {
    case "simple":
    case "error":
      return `${frame.type === "simple" ? "+" : "-"}${frame.value}\r\n`;
    case "integer":
      return `:${frame.value}\r\n`;
    case "bulk":
      return `$${frame.value.length}\r\n`;
    case "null":
      return "$-1\r\n";
    case "array":
      return `*${frame.value.length}\r\n`;
  }
}

/** The size of `frame` in bytes; throws if a simple string or an error holds CR or LF. */
function encodedLength(frame: Frame): number {
  if ((frame.type === "simple" || frame.type === "error") && /[\r\n]/.test(frame.value)) {
    throw new RangeError(`a ${frame.type} frame cannot contain CR or LF: ${JSON.stringify(frame.value)}`);
  }
  const head = Buffer.byteLength(line(frame)); // UTF-8: a simple string or an error may hold any text
  if (frame.type === "bulk") return head + frame.value.length + 2;
  if (frame.type !== "array") return head;
  let n = head;
  for (const item of frame.value) n += encodedLength(item);
  return n;
}

/** Writes `frame` into `out` at `at`; returns the index after it. */
function writeFrame(frame: Frame, out: Uint8Array, at: number): number {
  at = writeText(line(frame), out, at);
  if (frame.type === "bulk") {
    out.set(frame.value, at);
    at += frame.value.length;
    out[at] = CR;
    out[at + 1] = LF;
    return at + 2;
  }
  if (frame.type === "array") for (const item of frame.value) at = writeFrame(item, out, at);
  return at;
}

/** `s` in UTF-8 at `at`: ASCII a byte per character, the rest (from the first other character) by the encoder. */
function writeText(s: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      const rest = text.encode(s.slice(i));
      out.set(rest, at);
      return at + rest.length;
    }
    out[at++] = c;
  }
  return at;
}
