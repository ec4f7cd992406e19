/**
 * Task 6: RESP2 frames over a byte buffer: parsing (whole, incomplete, malformed) and encoding.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ProtocolError, encodeFrame, frame, parseFrame, type Frame } from "#kata/19-capstone";
import { thrownAs } from "../_support/16-channels.ts";
import { bytes, text } from "../_support/19-capstone.ts";

const { simple, error, integer, bulk, array, NULL } = frame;

function parse(raw: string): [Frame, number] | undefined {
  return parseFrame(bytes(raw));
}

describe("Task 6: RESP frames", () => {
  it("parses each type of frame and says how many bytes it used", () => {
    const rest = "+NEXT\r\n";
    expect(parse(`+OK\r\n${rest}`)).toEqual([simple("OK"), 5]);
    expect(parse(`-ERR no\r\n`)).toEqual([error("ERR no"), 9]);
    expect(parse(`:-42\r\n`)).toEqual([integer(-42n), 6]);
    expect(parse(`:9223372036854775807\r\n`)).toEqual([integer(2n ** 63n - 1n), 22]);
    expect(parse(`:-9223372036854775808\r\n`)).toEqual([integer(-(2n ** 63n)), 23]);
    expect(parse(`$5\r\nhello\r\n${rest}`)).toEqual([bulk("hello"), 11]);
    expect(parse(`$0\r\n\r\n`)).toEqual([bulk(""), 6]);
    expect(parse(`$-1\r\n`)).toEqual([NULL, 5]);
    expect(parse(`*-1\r\n`)).toEqual([NULL, 5]);
    expect(parse(`*0\r\n`)).toEqual([array([]), 4]);
    expect(parse(`*2\r\n$3\r\nGET\r\n:1\r\n${rest}`)).toEqual([array([bulk("GET"), integer(1n)]), 17]);
    expect(parse(`*2\r\n*1\r\n+a\r\n$-1\r\n`)).toEqual([array([array([simple("a")]), NULL]), 17]);
  });

  it("a bulk string is binary-safe: CR, LF and any byte may be inside", () => {
    const payload = new Uint8Array([0, 13, 10, 255, 36, 13, 10]);
    const raw = new Uint8Array([...bytes("$7\r\n"), ...payload, 13, 10]);
    const out = parseFrame(raw);
    expect(out).toEqual([bulk(payload), raw.length]);
    expect(encodeFrame(bulk(payload))).toEqual(raw);
  });

  it("returns undefined for every incomplete prefix of a frame, and consumes nothing", () => {
    const raw = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n*2\r\n:10\r\n$2\r\nab\r\n";
    const full = bytes(raw);
    for (let n = 0; n < full.length; n++) {
      expect(parseFrame(full.subarray(0, n)), `the first ${n} bytes of ${JSON.stringify(raw)}`).toBeUndefined();
    }
    expect(parseFrame(full)?.[1], "parseFrame(full)?.[1]").toBe(full.length);
  });

  it("malformed input: a ProtocolError with Redis's reason, once the offending line is complete, and the bytes to skip", () => {
    const cases: [string, string, number][] = [
      ["!oops\r\n+OK\r\n", "invalid frame type byte '!'", 7],
      [":12a\r\n", "invalid integer", 6],
      [":99999999999999999999\r\n", "invalid integer", 23],
      [":-9223372036854775809\r\n", "invalid integer", 23],
      [":a1\r\n", "invalid integer", 5],
      ["$x\r\nabc\r\n", "invalid bulk length", 4],
      ["$-2\r\n", "invalid bulk length", 5],
      ["$536870913\r\n", "invalid bulk length", 12],
      ["$99999999999999999999999\r\n", "invalid bulk length", 26],
      ["$\r\n", "invalid bulk length", 3],
      ["$-\r\n", "invalid bulk length", 4],
      ["$+3\r\nabc\r\n", "invalid bulk length", 5],
      ["*1 \r\n", "invalid multibulk length", 5],
      ["*-5\r\n", "invalid multibulk length", 5],
      ["*1048577\r\n", "invalid multibulk length", 10],
      ["$3\r\nabcd\r\n+OK\r\n", "expected CRLF after bulk string", 10],
      ["$3\r\nab\r\n+OK\r\n", "expected CRLF after bulk string", 8],
      ["$3\r\nabc\rX\r\n", "expected CRLF after bulk string", 11],
      ["$3\r\nabcX\n+OK\r\n", "expected CRLF after bulk string", 14],
      ["*2\r\n$3\r\nGET\r\n?\r\n$1\r\nk\r\n", "invalid frame type byte '?'", 16],
    ];
    for (const [raw, reason, skip] of cases) {
      const e = thrownAs(ProtocolError, () => parse(raw));
      expect([e.reason, e.message, e.skip], JSON.stringify(raw)).toEqual([reason, `Protocol error: ${reason}`, skip]);
    }
    expect(parse("!oops"), "the line is not complete yet").toBeUndefined();
    expect(parse("$3\r\nabcd"), "the bad line has not ended yet").toBeUndefined();
    expect(parse("$03\r\nabc\r\n"), "leading zeros are digits like any other").toEqual([bulk("abc"), 10]);
    expect(parse("$536870912\r\n"), "the longest bulk is allowed: wait for it").toBeUndefined();
    expect(parse("*1048576\r\n"), "the longest array is allowed: wait for its elements").toBeUndefined();
  });

  it("a line ends only at CRLF: a bare LF or CR belongs to the line", () => {
    expect(parse("+a\nb\r\n")).toEqual([simple("a\nb"), 6]);
    expect(parse(":1\n")).toBeUndefined();
    expect(parse("+a\rb\r\n")).toEqual([simple("a\rb"), 6]);
  });

  it("encodes each type; null is written as a null bulk string", () => {
    const enc = (f: Frame) => text(encodeFrame(f));
    expect(enc(simple("OK"))).toBe("+OK\r\n");
    expect(enc(error("ERR bad"))).toBe("-ERR bad\r\n");
    expect(enc(simple("ok ✓ déjà")), "a simple string in UTF-8").toBe("+ok ✓ déjà\r\n");
    expect(enc(integer(-7n))).toBe(":-7\r\n");
    expect(enc(bulk("héllo"))).toBe("$6\r\nhéllo\r\n");
    expect(enc(NULL), "enc(NULL)").toBe("$-1\r\n");
    expect(enc(array([bulk("message"), bulk("news"), array([])]))).toBe("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n*0\r\n");
    expect(() => encodeFrame(simple("two\r\nlines")), "a simple string cannot hold CR or LF").toThrow(RangeError);
    expect(() => encodeFrame(error("a\nb"))).toThrow(RangeError);
  });

  it("round trip: what encodeFrame writes, parseFrame reads back whole (property test)", () => {
    const line = fc.string({ unit: "grapheme", maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
    const leaf = fc.oneof(
      line.map(simple),
      line.map(error),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(integer),
      fc.uint8Array({ maxLength: 20 }).map(bulk),
      fc.constant(NULL),
    );
    const tree = fc.letrec((tie) => ({
      frame: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("frame") as fc.Arbitrary<Frame>, { maxLength: 4 }).map((items) => array(items))),
    })).frame as fc.Arbitrary<Frame>;
    fc.assert(
      fc.property(tree, (f) => {
        const raw = encodeFrame(f);
        const withMore = new Uint8Array([...raw, ...bytes("+x\r\n")]);
        expect(parseFrame(withMore), "parseFrame(withMore)").toEqual([f, raw.length]);
      }),
      { seed: 19, numRuns: 300 },
    );
  });
});
