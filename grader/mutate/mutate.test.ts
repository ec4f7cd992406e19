/**
 * The mutation tool's own logic, without running Stryker or vitest: given lines, scoring with equivalents, and
 * the form of bug files. (Run with the grader's tests once `grader/vitest.config.ts` includes this folder.)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BugCorpusError, listBugs, recordRejectedBy } from "../bugs.ts";
import { learnerLines } from "./given.ts";
import type { StrykerReport } from "./report-schema.ts";
import { equivalentEntry, summarize } from "./score.ts";

describe("given code", () => {
  it("a line is the learner's unless the stub holds it, in order", () => {
    const stub = "// header\nexport function f(): number {\n  return todo();\n}\n";
    const solution = "// header\nexport function f(): number {\n  const x = 1;\n  return x;\n}\n";
    expect([...learnerLines(solution, stub)]).toEqual([3, 4]);
    expect(learnerLines(solution, undefined).size, "no stub: every line").toBe(6);
  });
});

function report(mutants: { id: string; line: number; status: "Killed" | "Survived" | "NoCoverage" | "Timeout" | "RuntimeError"; replacement?: string }[]): StrykerReport {
  const source = "given();\nconst a = b + c;\nconst d = e > f;\n";
  return {
    files: {
      "solutions/01-poll/x.ts": {
        source,
        mutants: mutants.map((m) => ({
          id: m.id,
          mutatorName: "ArithmeticOperator",
          replacement: m.replacement ?? "b - c",
          status: m.status,
          location: { start: { line: m.line, column: 11 }, end: { line: m.line, column: 16 } },
        })),
      },
    },
  };
}

describe("scores", () => {
  const run = { durationMs: 1, cached: false };
  const learner = (_f: string, start: number) => start !== 1;

  it("killed and timed out over all counted; given mutants and errors count nowhere", () => {
    const s = summarize(
      "01-poll",
      report([
        { id: "1", line: 1, status: "Survived" },
        { id: "2", line: 2, status: "Killed" },
        { id: "3", line: 2, status: "Timeout", replacement: "b * c" },
        { id: "4", line: 3, status: "Survived", replacement: "e >= f" },
        { id: "5", line: 3, status: "NoCoverage", replacement: "e < f" },
        { id: "6", line: 3, status: "RuntimeError", replacement: "e <= f" },
      ]),
      [],
      run,
      learner,
    );
    expect({ created: s.created, given: s.given, killed: s.killed, timeout: s.timeout, survived: s.survived, noCoverage: s.noCoverage, errors: s.errors }).toEqual({
      created: 6,
      given: 1,
      killed: 1,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      errors: 1,
    });
    expect(s.score, "2 detected of 4").toBe(50);
    expect(s.survivors.map((m) => m.id)).toEqual(["4", "5"]);
  });

  it("recorded equivalents leave the score by file, mutator, line text and replacement; unmatched ones are stale", () => {
    const r = report([
      { id: "2", line: 2, status: "Killed" },
      { id: "4", line: 3, status: "Survived", replacement: "e >= f" },
    ]);
    const first = summarize("01-poll", r, [], run, learner);
    const entry = equivalentEntry(first.survivors[0]!, "because this is a test of the tool");
    expect(entry.line).toBe("const d = e > f;");
    const stale = { ...entry, replacement: "e <= f" };
    const s = summarize("01-poll", r, [entry, stale], run, learner);
    expect([s.score, s.equivalent, s.survivors.length]).toEqual([100, 1, 0]);
    expect(s.stale).toEqual([stale]);
    const unreachable = summarize("01-poll", r, [{ ...entry, kind: "unreachable" }], run, learner);
    expect([unreachable.equivalent, unreachable.unreachable, unreachable.score]).toEqual([0, 1, 100]);
  });
});

describe("bug files", () => {
  let root = "";
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    root = mkdtempSync(join(tmpdir(), "kata-bugs-test-"));
    mkdirSync(join(root, "tests", "01-poll", "bugs"), { recursive: true });
    writeFileSync(join(root, "tests", "01-poll", "bugs", name), text);
  };
  const diff = (path: string) => `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-a\n+b\n`;

  it("a bug is a description line and a diff of its own chapter's solution", () => {
    write("x.patch", `a countdown that never wakes\n${diff("solutions/01-poll/countdown.ts")}`);
    expect(listBugs(root, "01-poll")).toEqual([
      { chapter: "01-poll", name: "x", path: "tests/01-poll/bugs/x.patch", description: "a countdown that never wakes", modules: ["solutions/01-poll/countdown.ts"] },
    ]);
  });

  it("reads the test named on the 'rejected by:' line, and --record writes or replaces that line", () => {
    write("x.patch", `a countdown that never wakes\n${diff("solutions/01-poll/countdown.ts")}`);
    const [bug] = listBugs(root, "01-poll");
    recordRejectedBy(root, bug!, "Task 3: A countdown > wakes");
    expect(listBugs(root, "01-poll")[0]).toMatchObject({ description: "a countdown that never wakes", rejectedByTest: "Task 3: A countdown > wakes" });
    recordRejectedBy(root, bug!, "Task 3: A countdown > wakes once");
    expect(readFileSync(join(root, bug!.path), "utf8")).toBe(`a countdown that never wakes\nrejected by: Task 3: A countdown > wakes once\n${diff("solutions/01-poll/countdown.ts")}`);
  });

  it("refuses a diff without a description, or one that reaches outside the chapter", () => {
    write("y.patch", diff("solutions/01-poll/countdown.ts"));
    expect(() => listBugs(root, "01-poll")).toThrow(BugCorpusError);
    rmSync(root, { recursive: true, force: true });
    write("z.patch", `a bug elsewhere\n${diff("solutions/02-state-machines/join.ts")}`);
    expect(() => listBugs(root, "01-poll")).toThrow("outside solutions/01-poll/");
  });
});
