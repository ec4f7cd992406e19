/**
 * What a learner sees of a failure: the message only.
 */
import { describe, expect, it } from "vitest";
import { learnerMessage, sourceLines, withoutHiddenCode } from "../messages.ts";
import { errorRecord } from "../run/reporter.ts";

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

  it("names the chapter of another chapter's stub: the test's own chapter may be done and wait on that one", () => {
    const noop = { name: "NotImplementedError", message: "Waker.noop is not implemented yet (chapters/03-waker)", item: "Waker.noop", chapter: "03-waker" };
    expect(learnerMessage(noop, undefined, "01-poll"), "in a test of chapter 01").toBe("not implemented yet: Waker.noop, in chapters/03-waker");
    expect(learnerMessage(noop, undefined, "03-waker"), "in a test of chapter 03").toBe("not implemented yet: Waker.noop");
    expect(learnerMessage(noop), "in a test of no chapter (the integration suite)").toBe("not implemented yet: Waker.noop, in chapters/03-waker");
  });

  it("turns a transform failure into one line naming the file and position, relative to the workbook", () => {
    const message = "Transform failed with 1 error:\n\n\u001b[31m[PARSE_ERROR] \u001b[0mExpected `}` but found `EOF`\n   ╭─[ /tmp/ws/chapters/01-poll/ready.ts:3:9 ]\n 3 │ export x\n";
    expect(learnerMessage({ name: "Error", message }, "/tmp/ws")).toBe("syntax error in chapters/01-poll/ready.ts:3:9: Expected `}` but found `EOF`");
  });

  it("names an error class other than Error and keeps long messages short", () => {
    expect(learnerMessage({ name: "TypeError", message: "x.y is not a function" })).toBe("TypeError: x.y is not a function");
    expect(learnerMessage({ name: "TypeError", message: "ready is not a function" })).toBe("TypeError: ready is not a function (is it exported from the chapter's index.ts?)");
    expect(learnerMessage({ name: "Error", message: "y".repeat(2000) }).length).toBeLessThanOrEqual(600);
  });
});

describe("errors as the reporter records them", () => {
  it("finds the stub behind an error: thrown, as an assertion's actual value, or inside a SuppressedError", () => {
    const todo = (item: string) => ({ name: "NotImplementedError", item, message: `${item} is not implemented yet (chapters/07-current-thread); open ...` });
    expect(errorRecord(todo("Runtime.blockOn")).item).toBe("Runtime.blockOn");
    const got = "main is not implemented yet (chapters/07-current-thread); open chapters/07-current-thread/README.md";
    expect(errorRecord({ name: "AssertionError", message: "expected [Function] to throw error including 'main failed'", actual: got }).item).toBe("main");
    const suppressed = { name: "SuppressedError", message: "", error: todo("Runtime[Symbol.dispose]"), suppressed: todo("Runtime.blockOn") };
    expect(errorRecord(suppressed).item).toBe("Runtime.blockOn");
    expect(errorRecord({ name: "AssertionError", message: "expected 3 to be 4" }).item).toBeUndefined();
    const thrown = { ...todo("Runtime.blockOn"), chapter: "07-current-thread" }; // a NotImplementedError, serialized
    expect(errorRecord(thrown), "a stub's chapter, from the error").toMatchObject({ item: "Runtime.blockOn", chapter: "07-current-thread" });
    expect(errorRecord({ name: "AssertionError", message: "x", actual: got }).chapter, "a stub's chapter, from its message").toBe("07-current-thread");
  });

  it("tells both errors of a SuppressedError, whose own message is empty", () => {
    const suppressed = { name: "SuppressedError", message: "", error: { message: "dispose failed" }, suppressed: { message: "body failed" } };
    expect(errorRecord(suppressed).message).toBe("dispose failed (while disposing, after: body failed)");
  });
});

describe("hidden test code in a message", () => {
  const code = 'describe("Task 1: Ready", () => {\n  it("completes", () => {\n    expect(ready(1).poll(cx), "the first poll").toBe(1);\n  });\n});\n  "a value in the test\'s data that is long",';
  const lines = sourceLines([code]);

  it("a message that quotes a line of the hidden suite is replaced, however its whitespace was changed", () => {
    expect(withoutHiddenCode(`Error: ${code}`, lines)).toMatch(/^the error's message quotes the hidden tests/);
    expect(withoutHiddenCode('oops   expect(ready(1).poll(cx),\n "the first poll").toBe(1); more', lines)).toMatch(/quotes the hidden tests/);
  });

  it("an assertion's own message and a printed value that looks like the test's data are kept", () => {
    expect(withoutHiddenCode("the first poll: expected 2 to be 1", lines)).toBe("the first poll: expected 2 to be 1");
    expect(withoutHiddenCode('- Expected\n+ Received\n  "a value in the test\'s data that is long",', lines)).toContain("a value in the test");
  });
});
