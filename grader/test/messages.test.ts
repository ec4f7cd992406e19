/**
 * What a learner sees of a failure: the message only.
 */
import { describe, expect, it } from "vitest";
import { learnerMessage } from "../messages.ts";

describe("learner messages", () => {
  it("keeps an assertion's message and drops stack frames and code frames", () => {
    const message = [
      "spin(f): expected 3 to be 4 // Object.is equality",
      "    at /work/tests/01-poll/poll.test.ts:12:5",
      " ❯ tests/01-poll/poll.test.ts:12:5",
      "   10|   const hidden = secret();",
      "     |          ^",
    ].join("\n");
    expect(learnerMessage({ name: "AssertionError", message })).toBe("spin(f): expected 3 to be 4 // Object.is equality");
  });

  it("shows a stub's NotImplementedError as 'not implemented yet: <item>'", () => {
    expect(learnerMessage({ name: "NotImplementedError", message: "Ready.poll is not implemented yet (chapters/01-poll)", item: "Ready.poll" })).toBe(
      "not implemented yet: Ready.poll",
    );
    expect(learnerMessage({ name: "AssertionError", message: "expected error to be instance of RangeError", item: "Countdown.constructor" })).toBe(
      "not implemented yet: Countdown.constructor",
    );
  });

  it("turns a transform failure into one line naming the file and position, relative to the workbook", () => {
    const message = "Transform failed with 1 error:\n\n\u001b[31m[PARSE_ERROR] \u001b[0mExpected `}` but found `EOF`\n   ╭─[ /tmp/ws/chapters/01-poll/ready.ts:3:9 ]\n 3 │ export x\n";
    expect(learnerMessage({ name: "Error", message }, "/tmp/ws")).toBe("syntax error in chapters/01-poll/ready.ts:3:9: Expected `}` but found `EOF`");
  });

  it("names an error class other than Error and keeps long messages short", () => {
    expect(learnerMessage({ name: "TypeError", message: "x is not a function" })).toBe("TypeError: x is not a function");
    expect(learnerMessage({ name: "Error", message: "y".repeat(2000) }).length).toBeLessThanOrEqual(600);
  });
});
